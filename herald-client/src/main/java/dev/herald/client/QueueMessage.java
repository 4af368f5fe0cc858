package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message received from a queue target ({@code POST /v1/queues/{target}/receive}).
 *
 * @param receiptHandle what {@link Queues#ack}, {@link Queues#nack} and {@link
 *     Queues#changeVisibility} take; valid while this receive's lease lasts
 * @param receiveCount how many times the message has been received, this time included
 * @param event the delivered envelope (or the rule's shaped input); a JSON text node when the input
 *     was not JSON
 */
public record QueueMessage(
    String messageId,
    String receiptHandle,
    int receiveCount,
    String deliveryKey,
    String eventId,
    String rule,
    String enqueuedAt,
    JsonNode event) {}
