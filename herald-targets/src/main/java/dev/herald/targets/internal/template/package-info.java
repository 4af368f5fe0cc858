/**
 * Mustache templates over the delivered input, for the email and chat targets ({@link
 * dev.herald.targets.internal.template.Templates}). What is public here is public for those target
 * packages only: no other module uses {@code dev.herald.targets.internal}.
 */
package dev.herald.targets.internal.template;
