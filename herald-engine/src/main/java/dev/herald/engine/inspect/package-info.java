/**
 * Read-only views of the engine for operators: the live tail of a bus ({@link
 * dev.herald.engine.inspect.BusTail}), a search of recent events ({@link
 * dev.herald.engine.inspect.EventSearch}) and the delivery backlog per target ({@link
 * dev.herald.engine.inspect.DeliveryBacklog}). Each uses Kafka clients of its own and no consumer
 * group, so none of them can slow or block the router or the delivery pool.
 */
package dev.herald.engine.inspect;
