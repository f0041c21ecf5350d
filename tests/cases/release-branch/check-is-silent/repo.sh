test_commit one &&
git tag -a -m one v1.0.0
