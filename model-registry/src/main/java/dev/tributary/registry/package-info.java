/**
 * The model registry: the keys and in-memory view of the compacted registry topic, the follower
 * that keeps a view current, the {@link dev.tributary.registry.ModelCache} that serves decoded
 * models to scorers, and the {@link dev.tributary.registry.ModelRegistry} client that creates
 * models and publishes versions and aliases. Models are data (Avro records), never Java
 * serialization; {@code ModelCache} and {@code RegistryView} know nothing of Kafka.
 */
package dev.tributary.registry;
