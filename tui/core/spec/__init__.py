"""The VCH spec and everything that reads, writes and checks it without vSphere."""
