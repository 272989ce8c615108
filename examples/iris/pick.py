"""Picks the model with the best test accuracy (ties: the first by name) and hands it on as best/model.pkl."""
import json
import shutil

import baton


def main() -> None:
    evaluation = json.loads((baton.input_dir("evaluation") / "evaluation.json").read_text())
    best = sorted(evaluation.items(), key=lambda item: (-item[1], item[0]))[0]
    best_dir = baton.output_dir() / "best"
    best_dir.mkdir(exist_ok=True)
    shutil.copyfile(baton.input_dir("models") / best[0] / "model.pkl", best_dir / "model.pkl")
    (best_dir / "best.json").write_text(json.dumps({"step": best[0], "accuracy": best[1]}, indent=2) + "\n")
    print(f"best model: {best[0]}")
    baton.log_metrics(accuracy=best[1])


if __name__ == "__main__":
    main()
