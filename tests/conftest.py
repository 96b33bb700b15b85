pytest_plugins = ["harness"]
