"""Picks the model with the best test accuracy (ties: the first by name) and hands it on as best/model.pkl."""
import json
import shutil

from common import INPUTS, OUTPUTS


def main() -> None:
    evaluation = json.loads((INPUTS / "evaluation" / "evaluation.json").read_text())
    best = sorted(evaluation.items(), key=lambda item: (-item[1], item[0]))[0]
    (OUTPUTS / "best").mkdir(exist_ok=True)
    shutil.copyfile(INPUTS / "models" / best[0] / "model.pkl", OUTPUTS / "best" / "model.pkl")
    (OUTPUTS / "best" / "best.json").write_text(json.dumps({"step": best[0], "accuracy": best[1]}, indent=2) + "\n")
    print(f"best model: {best[0]}")
    print(json.dumps({"accuracy": best[1]}))


if __name__ == "__main__":
    main()
