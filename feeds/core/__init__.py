"""The core every domain builds on: record base types, the payload envelope and time, the processor
interface, configuration reading, and the domain registry."""
