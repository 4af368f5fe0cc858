/**
 * Read-only views of the engine for operators: the live tail of a bus (a tap on the router, {@link
 * dev.herald.engine.inspect.BusTaps}, or a reader of its own, {@link
 * dev.herald.engine.inspect.BusTail}), a search of recent events ({@link
 * dev.herald.engine.inspect.EventSearch}) and the delivery backlog per target ({@link
 * dev.herald.engine.inspect.DeliveryBacklog}). The readers use Kafka clients of their own and no
 * consumer group; a tap's callback runs on the router's thread and never blocks. None of them can
 * slow or block the router or the delivery pool beyond handing over an event.
 */
package dev.herald.engine.inspect;
