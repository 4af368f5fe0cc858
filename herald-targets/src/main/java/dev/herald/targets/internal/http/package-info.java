/**
 * Outbound HTTP of the webhook and chat targets: the HTTP/1.1 client ({@link
 * dev.herald.targets.internal.http.Http1}), one attempt and its failures as outcomes ({@link
 * dev.herald.targets.internal.http.HttpCalls}, {@link
 * dev.herald.targets.internal.http.HttpOutcomes}) and the outbound address rules ({@link
 * dev.herald.targets.internal.http.AddressPolicy}, which the email target uses too). What is public
 * here is public for those target packages only: no other module uses {@code
 * dev.herald.targets.internal}.
 */
package dev.herald.targets.internal.http;
