// Package access is the token policy of gridmap, defined once for every
// store: the roles (viewer < planner < admin), a planner's scopes
// (division codes it may edit inside), what a token request must hold,
// how a secret is made (TokenPrefix and 32 random bytes, shown once),
// hashed (SHA-256, the only form stored) and checked (the stored hash
// compared in constant time, a revoked token refused).
//
// The stores (geo/store/...) only persist the records Issue makes and
// find them by Lookup's hash; Registry is what they offer the server.
package access
