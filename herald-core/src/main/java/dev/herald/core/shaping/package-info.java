/**
 * Input shaping of rule-targets, as Amazon EventBridge's {@code Input}, {@code InputPath} and {@code
 * InputTransformer}: what a target receives instead of the delivered envelope {@code {"version":
 * "0", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}}.
 *
 * <p>The entry point is {@link dev.herald.core.shaping.InputShape#compile}, called when a rule is
 * stored (every problem is an {@link dev.herald.core.shaping.InvalidShapeException} naming its
 * field) and again when the routing table is built; {@link
 * dev.herald.core.shaping.InputShape#apply} shapes one event and fails only with a {@link
 * dev.herald.core.shaping.TransformException} (dead-letter code {@code TransformError}).
 *
 * <h2>Forms</h2>
 *
 * <ul>
 *   <li><b>none</b>: the envelope, as compact JSON.
 *   <li><b>{@code input}</b>: one JSON value (at most 8192 characters), sent as given. Nothing of
 *       the event is used.
 *   <li><b>{@code inputPath}</b>: the value the path selects, as compact JSON: an object or array
 *       as itself, a string quoted ({@code "baz"}), a number, boolean or null as itself. A path that
 *       selects nothing in an event is a {@code TransformError} for that event (EventBridge does not
 *       document this case; Herald prefers a visible dead letter to an empty or {@code null} body).
 *   <li><b>{@code inputTransformer}</b>: {@code paths} binds up to 100 variables to JSONPaths and
 *       {@code template} uses them as {@code <name>}, together with the predefined variables below.
 * </ul>
 *
 * <h2>Templates</h2>
 *
 * <p>A template is <b>JSON</b> when it parses as exactly one JSON value once every placeholder is
 * filled with a sample string: {@code {"order": <id>}}, {@code [9, <state>]}, {@code "instance
 * <id> is <state>"}, or just {@code <id>}. A template that starts with {@code {} or {@code [} must
 * be JSON, else it is rejected when stored (EventBridge: "The InputTemplate must be valid JSON").
 * Any other template is <b>plain text</b>: {@code <instance> is in state <status>}. Output of a
 * JSON template is minified JSON (EventBridge: "The JSON that is passed to the target is minified");
 * output of a text template is the text as written.
 *
 * <p>Where a placeholder stands decides how its value is written:
 *
 * <table>
 *   <caption>Placeholder rendering</caption>
 *   <tr><th>value</th><th>outside quotes, JSON template</th><th>inside quotes (any template)</th>
 *       <th>outside quotes, text template</th></tr>
 *   <tr><td>string {@code a"b}</td><td>{@code "a\"b"} (quoted)</td><td>{@code a\"b} (escaped)</td>
 *       <td>{@code a"b} (as is)</td></tr>
 *   <tr><td>number, boolean, null</td><td>{@code 4.5}, {@code true}, {@code null}</td>
 *       <td>{@code 4.5}, {@code true}, {@code null}</td><td>{@code 4.5}, {@code true}, {@code null}
 *       </td></tr>
 *   <tr><td>object, array</td><td>the JSON itself</td><td>its JSON without quotes, escaped:
 *       {@code {state:RUNNING}}</td><td>its compact JSON</td></tr>
 *   <tr><td>absent (path selects nothing)</td><td>{@code ""}</td><td>nothing</td><td>nothing</td>
 *   </tr>
 * </table>
 *
 * <p>The basis in EventBridge's documentation: strings outside quotes are quoted ("EventBridge
 * automatically adds quotes to string variable values during transformation, to ensure the
 * transformation output is valid JSON"; the "Simple JSON" example turns {@code "instance" :
 * <instance>} into {@code "instance" : "i-0123456789"}); objects and arrays are not ("EventBridge
 * does not add quotes to variables that represent JSON objects or arrays"); an object or array inside
 * a string loses its quotes ("If a JSON path references a JSON object or array, but the variable is
 * referenced in a string, EventBridge removes any internal quotes to ensure a valid string"); an
 * absent path "isn't created and won't appear in the output", which EventBridge renders as an empty
 * string (a JSON template's {@code "command": <command>} with a missing path arrives as {@code
 * "command": ""}). Herald departs from EventBridge on purpose in one place: a string inside quotes is
 * JSON-escaped (EventBridge "doesn't escape values extracted by Input Path", which breaks JSON when
 * a value holds a quote).
 *
 * <p>A placeholder is {@code <} + a name of {@code [A-Za-z0-9_.-]} characters + {@code >}; any
 * other {@code <} is literal text. Quotes are followed as in JSON (a backslash inside quotes
 * escapes the next character), in text templates too, so that text such as {@code <instance> is in
 * state "<status>"} escapes {@code status} for its quotes. In a JSON template a placeholder cannot
 * stand in an object key, quoted or not (EventBridge: "The placeholder cannot be used as an object
 * key").
 *
 * <h2>Predefined variables</h2>
 *
 * <ul>
 *   <li>{@code <aws.events.rule-name>}: the rule's name.
 *   <li>{@code <aws.events.event.ingestion-time>}: when Herald accepted the event, RFC 3339 in UTC
 *       ({@code 2026-11-26T10:00:00Z}, fractional seconds only when not zero).
 *   <li>{@code <aws.events.event>}: the envelope without its {@code detail}, as EventBridge
 *       documents ("The original event payload as JSON (without the detail field)").
 *   <li>{@code <aws.events.event.json>}: the whole envelope.
 * </ul>
 *
 * <p>The two event variables can only stand outside quotes ("Can only be used as the value of a
 * JSON field, as its contents are not escaped"). {@code <aws.events.rule-arn>} is rejected: Herald
 * rules have no ARN. Variable names are {@code [A-Za-z0-9_.-]}, 1 to 256 characters, and may not
 * start with the reserved {@code aws.} (any case).
 *
 * <p>Every class of this package is immutable or stateless, and thread-safe.
 */
package dev.herald.core.shaping;
