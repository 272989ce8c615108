"""Trains a decision tree on the iris data that ships with scikit-learn and prints its accuracy as a JSON line."""
import argparse
import json

from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-depth", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    features, labels = load_iris(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=0.3, random_state=args.seed, stratify=labels)
    model = DecisionTreeClassifier(max_depth=args.max_depth, random_state=args.seed)
    model.fit(x_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(x_test))
    print(f"trained a decision tree of depth {args.max_depth} on {len(x_train)} samples")
    print(json.dumps({"accuracy": round(float(accuracy), 4), "train_samples": len(x_train)}))


if __name__ == "__main__":
    main()
