test_commit one &&
git tag -a -m dev v1.4.0-dev &&
git tag -a -m staging v1.4.0-staging &&
git tag -a -m prod v1.4.0-prod &&
test_commit two &&
git tag -a -m dev v1.5.0-dev &&
git tag -a -m prod v1.5.0-prod
