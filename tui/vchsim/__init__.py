"""vchsim: the vSphere simulator (Go sources here), its Python wrapper, the demo rig and the seed story."""
