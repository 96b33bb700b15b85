pytest_plugins = ["harness", "pytester"]
