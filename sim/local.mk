# sim/: the local cluster simulator (dify-sim), a real HTTPS server speaking a
# subset of the Kubernetes API for the tests and the demo.
