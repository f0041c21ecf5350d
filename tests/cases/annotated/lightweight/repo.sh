test_commit one &&
git tag -a -m "release 1.0.0" v1.0.0 &&
test_commit two &&
git tag v1.1.0
