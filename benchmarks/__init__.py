"""The benchmark of ccai-policy and its synthetic data generator (`make bench`)."""
