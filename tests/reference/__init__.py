"""Golden numbers for the effect estimators, each with its source and the command behind it."""
