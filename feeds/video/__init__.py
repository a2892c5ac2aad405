"""Domain 5: traffic and public-order cameras: stream workers, camera configuration, traffic figures."""
