test_commit one &&
git tag -a -m two v2.0.0 &&
test_commit two &&
git tag -a -m one v1.0.0
