test_commit one &&
git tag -a -m good "v1.0.0-g$(git rev-parse --short=7 HEAD)" &&
git tag -a -m bad v1.0.0-g0000000 &&
git tag v1.0.0
