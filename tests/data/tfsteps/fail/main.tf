# A stand-in stack whose second resource fails in its provisioner
# (tests/unit/test_steps_tf.c).
terraform {
  required_version = ">= 1.5"
}

resource "terraform_data" "network" {
  input = "ok"
}

resource "terraform_data" "nodes" {
  input      = "broken"
  depends_on = [terraform_data.network]
  provisioner "local-exec" {
    command = "echo the node group cannot start >&2; exit 3"
  }
}
