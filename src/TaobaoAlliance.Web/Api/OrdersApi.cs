using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// <c>POST /api/v1/orders/events</c>: an external store reports paid, confirmed and refunded orders,
/// signed with its shop's secret (<see cref="ShopSignatures"/>: <c>t=…,sha256=…</c>, or the older body-only
/// <c>sha256=…</c>, which is accepted here because events are idempotent: the same event again changes
/// nothing and gets the same answer).
/// </summary>
public static partial class OrdersApi
{
    public const string SignatureHeader = ShopSignatures.Header;
    private const int MaxBodyBytes = 256 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The wire format of an order event. Click and visitor ids are taken as the store got them
    /// (<c>alliance_click</c> from the landing URL, the visitor cookie): 32 hex digits, dashes optional.
    /// <c>occurredAt</c> is read as text so that a time without a zone can be refused (see <see cref="TryParseTime"/>).
    /// </summary>
    public sealed record OrderEventRequest(
        long ShopId, string? ExternalOrderId, string? Event, string? OccurredAt, string? BuyerRef,
        string? VisitorId, string? ClickId, IReadOnlyList<OrderEventLine>? Lines);

    public static void MapOrdersApi(this RouteGroupBuilder api) =>
        api.MapPost("/orders/events", HandleAsync)
            .WithName("PostOrderEvent")
            .WithSummary("Report an order event (paid, confirmed, refunded) from an external store")
            .Accepts<OrderEventRequest>("application/json")
            .Produces<OrderEventResult>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415)
            .WithMetadata(ShopSignatureSecured.Instance)
            .AllowAnonymous() // server-to-server: authenticated by the HMAC signature, not a user
            .DisableAntiforgery();

    private static async Task<Results<Ok<OrderEventResult>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, AllianceDbContext db, OrderEventProcessor processor, TimeProvider clock, CancellationToken ct)
    {
        var body = await ShopSignatures.ReadBodyAsync(request, MaxBodyBytes, ct);
        if (body is null) return ShopSignatures.TooLarge(MaxBodyBytes);

        // The signature is checked before the body is parsed: an unsigned caller reaches neither the JSON
        // parser nor its error messages. Only the shop id is read first, to know whose secret to check with;
        // an unknown shop is refused exactly like a wrong signature, after the same work.
        var signedShopId = SignedShopId(body);
        var secret = signedShopId is { } shopId
            ? await db.Shops.Where(s => s.Id == shopId).Select(s => s.OrdersApiSecret).SingleOrDefaultAsync(ct)
            : null;
        if (!ShopSignatures.Verify(body, secret, request.Headers[SignatureHeader], clock.GetUtcNow(), acceptBodyOnly: true))
        {
            return ShopSignatures.Refused(acceptBodyOnly: true);
        }

        OrderEventRequest? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<OrderEventRequest>(body, Json);
        }
        catch (JsonException e)
        {
            return Problem(400, "Malformed JSON", e.Message);
        }
        if (parsed is null || parsed.ShopId <= 0) return Problem(400, "Malformed order event", "shopId is required.");
        // A body naming shopId twice must not be signed by one shop and processed for another.
        if (parsed.ShopId != signedShopId) return Problem(400, "Malformed order event", "shopId must appear once.");

        if (!TryParseId(parsed.ClickId, out var clickId)) return Problem(400, "Malformed order event", "clickId must be the alliance_click value (32 hex digits).");
        if (!TryParseId(parsed.VisitorId, out var visitorId)) return Problem(400, "Malformed order event", "visitorId must be 32 hex digits.");
        if (!TryParseTime(parsed.OccurredAt, out var occurredAt))
        {
            return Problem(400, "Malformed order event",
                "occurredAt must be an ISO 8601 time with its zone, e.g. 2026-11-01T08:00:00Z or 2026-11-01T16:00:00+08:00.");
        }
        var outcome = await processor.ProcessAsync(new OrderEventCommand(
            parsed.ShopId,
            parsed.ExternalOrderId ?? "",
            parsed.Event ?? "",
            occurredAt,
            parsed.BuyerRef ?? "",
            parsed.Lines ?? [],
            OrderSource.OrdersApi,
            visitorId,
            clickId), ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Result!) : Refused(outcome);
    }

    /// <summary>A refused event as the store reads it: 400 for a bad event or refund, 404 before payment, 409 for a second, different payment.</summary>
    private static ProblemHttpResult Refused(OrderEventOutcome outcome) => outcome.Refusal switch
    {
        OrderEventRefusal.Invalid or OrderEventRefusal.UnknownItem => Problem(400, "Invalid order event", outcome.Detail),
        OrderEventRefusal.UnknownLine or OrderEventRefusal.RefundTooLarge => Problem(400, "Invalid refund", outcome.Detail),
        OrderEventRefusal.UnknownOrder => Problem(404, "Unknown order", outcome.Detail),
        OrderEventRefusal.PaidDifferently => Problem(409, "Order already paid differently", outcome.Detail),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Refusal, "Not a refusal"),
    };

    /// <summary>
    /// The top-level <c>shopId</c> of the body, read with a bare tokenizer (no model, no messages): the key id of
    /// the signature. Null when the body does not start as a JSON object with one.
    /// </summary>
    private static long? SignedShopId(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // The serializer's web defaults match names case-insensitively and read numbers from strings: so does this.
                var isShopId = string.Equals(reader.GetString(), "shopId", StringComparison.OrdinalIgnoreCase);
                if (!reader.Read()) return null;
                if (isShopId)
                {
                    return reader.TokenType switch
                    {
                        JsonTokenType.Number when reader.TryGetInt64(out var number) => number,
                        JsonTokenType.String when long.TryParse(reader.GetString(), System.Globalization.NumberStyles.Integer,
                            System.Globalization.CultureInfo.InvariantCulture, out var text) => text,
                        _ => null,
                    };
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Malformed before any shopId: nothing to check the signature with.
        }
        return null;
    }

    private static bool TryParseId(string? text, out Guid? id)
    {
        id = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Guid.TryParse(text, out var parsed)) return false;
        id = parsed;
        return true;
    }

    /// <summary>
    /// An ISO 8601 date and time with an explicit zone (<c>Z</c> or an offset). A time without one is
    /// refused rather than guessed: the store's local time and UTC are eight hours apart in China, which
    /// moves an order across the attribution window. Missing stays <c>default</c> (the processor says it is required).
    /// </summary>
    private static bool TryParseTime(string? text, out DateTimeOffset at)
    {
        at = default;
        if (text is null) return true;
        return IsoTimeWithZone().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimeWithZone();

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
