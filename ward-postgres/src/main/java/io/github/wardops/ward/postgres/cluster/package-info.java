/**
 * Several runners on one PostgreSQL: membership by session advisory lock, shards assigned by
 * rendezvous hashing, and fencing epochs checked in the writers' transactions. Start with
 * {@link io.github.wardops.ward.postgres.cluster.ClusterMember}; see docs/cluster.md.
 */
package io.github.wardops.ward.postgres.cluster;
