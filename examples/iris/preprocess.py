"""Splits the iris data set (the `iris` dataset's CSV, as scikit-learn ships it) into train and test sets,
standardised, saved as one .npz file with the scaling and the class names."""
import argparse

import baton
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--test-size", type=float, default=0.3)
    args = parser.parse_args()

    # scikit-learn's layout: a header line (samples, features, class names), then four features and a class number
    path = baton.input_dir("raw") / "iris.csv"
    class_names = path.read_text().split("\n", 1)[0].strip().split(",")[2:]
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    features, labels = table[:, :4], table[:, 4].astype(int)
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=args.test_size, random_state=args.seed, stratify=labels)
    scaler = StandardScaler().fit(x_train)
    # the scaling goes with the data (training takes standardised features) and, through train.py, with the model,
    # which then takes raw measurements as serve.py gets them
    np.savez(baton.output_dir() / "data.npz", x_train=scaler.transform(x_train), x_test=scaler.transform(x_test),
             y_train=y_train, y_test=y_test, x_test_raw=x_test, mean=scaler.mean_, scale=scaler.scale_,
             class_names=np.array(class_names))
    baton.log_metrics(train_samples=len(x_train), test_samples=len(x_test))


if __name__ == "__main__":
    main()
