package dev.herald.store;

/**
 * How many messages a queue holds at one moment.
 *
 * @param visible messages a receive would hand out now (including ones about to become dead letters
 *     at the next receive)
 * @param inFlight messages received and leased, neither acked nor expired
 * @param delayed messages nacked with a delay that has not passed yet
 */
public record QueueDepth(long visible, long inFlight, long delayed) {}
