"""An example domain defined outside the program: river water levels (mực nước sông) at gauges.

It is what docs/architecture.md walks through ("Adding a domain"), and what tests/desktop/test_domain_plugin.py
installs through the ``controlroom.domains`` entry-point group to prove that a domain needs no core edit."""
