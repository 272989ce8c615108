"""Evaluates every trained model (one folder per training step) on the held-out data, as measured (each model
scales what it is given itself)."""
import json
import pickle

import baton
import numpy as np
from sklearn.metrics import accuracy_score


def main() -> None:
    data = np.load(baton.input_dir("data") / "data.npz")
    results = {}
    for model_file in [p for p in baton.inputs("models") if p.name == "model.pkl"]:  # one folder per training step
        with open(model_file, "rb") as f:
            model = pickle.load(f)
        results[model_file.parent.name] = round(float(accuracy_score(data["y_test"], model.predict(data["x_test_raw"]))), 6)
    (baton.output_dir() / "evaluation.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    for name, accuracy in sorted(results.items()):
        print(f"{name}: test accuracy {accuracy}")
    baton.log_metrics(models_evaluated=len(results))


if __name__ == "__main__":
    main()
