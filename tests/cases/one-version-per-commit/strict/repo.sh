test_commit one &&
git tag -a -m "release 1.0.0" v1.0.0 &&
git tag -a -m "release 1.0.1" v1.0.1 &&
test_commit two &&
git tag -a -m "release 1.1.0-rc.1" v1.1.0-rc.1 &&
git tag -a -m "release 1.1.0" v1.1.0
