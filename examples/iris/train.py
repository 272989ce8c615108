"""Trains a logistic-regression classifier by SGD for a number of epochs, printing per-epoch metrics."""
import argparse
import pickle

import baton
import numpy as np
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    data = np.load(baton.input_dir("data") / "data.npz")
    x_train, y_train = data["x_train"], data["y_train"]
    classes = np.unique(y_train)
    model = SGDClassifier(loss="log_loss", learning_rate="constant", eta0=args.lr, random_state=args.seed)
    rng = np.random.default_rng(args.seed)
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(len(x_train))
        model.partial_fit(x_train[order], y_train[order], classes=classes)
        loss = log_loss(y_train, model.predict_proba(x_train), labels=classes)
        accuracy = accuracy_score(y_train, model.predict(x_train))
        baton.log_metrics(epoch=epoch, loss=round(float(loss), 6), train_accuracy=round(float(accuracy), 6))
    # what is saved takes raw measurements: the data's scaling, then the classifier (and knows its classes' names)
    scaler = StandardScaler()
    scaler.mean_, scaler.scale_ = data["mean"], data["scale"]
    scaler.var_, scaler.n_features_in_, scaler.n_samples_seen_ = data["scale"] ** 2, x_train.shape[1], len(x_train)
    served = make_pipeline(scaler, model)
    served.class_names = [str(name) for name in data["class_names"]]
    with open(baton.output_dir() / "model.pkl", "wb") as f:
        pickle.dump(served, f)


if __name__ == "__main__":
    main()
