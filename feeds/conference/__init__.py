"""Video conferencing on an on-premises SFU (Janus VideoRoom): rooms as feed addresses, signalling, config."""
