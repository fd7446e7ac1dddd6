using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Sellers.Catalog;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// <c>POST /api/v1/shops/{shopId}/items/import</c>: a shop's server sends an item CSV (the seller centre's
/// format, <see cref="ItemCsv"/>) signed like an order event. Every line is checked first: one bad line
/// imports nothing and the 400 lists every bad line; a good file is imported in one transaction.
/// </summary>
public static class ItemImportApi
{
    private const int MaxBodyBytes = 2 * 1024 * 1024;

    public sealed record ItemImportResult(long ShopId, int Imported);

    public sealed record LineError(int Line, IReadOnlyList<string> Problems);

    public static void MapItemImportApi(this RouteGroupBuilder api) =>
        api.MapPost("/shops/{shopId:long}/items/import", HandleAsync)
            .WithName("ImportItems")
            .WithSummary("Import items into a shop from a CSV body (title_zh,title_en,category,price_yuan,commission_rate_percent,image_url)")
            .Accepts<string>("text/csv")
            .Produces<ItemImportResult>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404)
            .AllowAnonymous() // server-to-server: authenticated by the HMAC signature, not a user
            .DisableAntiforgery();

    private static async Task<Results<Ok<ItemImportResult>, ProblemHttpResult>> HandleAsync(
        long shopId, HttpRequest request, AllianceDbContext db, ItemImporter importer, CancellationToken ct)
    {
        var body = await ShopSignatures.ReadBodyAsync(request, MaxBodyBytes, ct);
        if (body is null) return TypedResults.Problem(statusCode: 400, title: "Body too large", detail: $"At most {MaxBodyBytes / 1024 / 1024} MB; split the file.");

        var secret = await db.Shops.Where(s => s.Id == shopId).Select(s => s.OrdersApiSecret).SingleOrDefaultAsync(ct);
        var signatureValid = ShopSignatures.Matches(body, secret, request.Headers[ShopSignatures.Header]);
        if (secret is null) return TypedResults.Problem(statusCode: 404, title: "Unknown shop", detail: $"There is no shop {shopId} with an API secret.");
        if (!signatureValid)
        {
            return TypedResults.Problem(statusCode: 401, title: "Bad signature",
                detail: $"{ShopSignatures.Header} must be sha256=<hex HMAC-SHA256 of the raw body with the shop's secret>.");
        }

        using var csv = new MemoryStream(body, writable: false);
        var outcome = await importer.ImportAsync(shopId, csv, actorUserId: null, ct);
        if (outcome.Succeeded) return TypedResults.Ok(new ItemImportResult(shopId, outcome.Imported));
        // The problems are the page's English resource keys; their {0} placeholders are filled here as the localizer would.
        var lines = outcome.Errors
            .Select(e => new LineError(e.Line, [.. e.Problems.Select(p => string.Format(CultureInfo.InvariantCulture, p.Message, [.. p.Arguments]))]))
            .ToList();
        return TypedResults.Problem(statusCode: 400, title: "Bad lines: nothing was imported",
            detail: $"{lines.Count} line(s) of the file are not valid; fix them and send the whole file again.",
            extensions: new Dictionary<string, object?> { ["errors"] = lines });
    }
}
