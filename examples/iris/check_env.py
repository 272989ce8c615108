"""Prints the versions of the ML stack this step sees, so every run records its environment."""
import json
import platform

import numpy
import sklearn

print(json.dumps({"python": platform.python_version(), "numpy": numpy.__version__, "sklearn": sklearn.__version__}))
