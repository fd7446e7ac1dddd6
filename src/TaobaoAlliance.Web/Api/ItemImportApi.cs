using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Application.Catalog;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// <c>POST /api/v1/shops/{shopId}/items/import</c>: a shop's server sends an item CSV (the seller centre's
/// format, <see cref="ItemCsv"/>) signed with a timestamp (<see cref="ShopSignatures"/>; the body-only form is
/// refused here: an import is not idempotent, so a replayed one would import the items again). Every line is checked first: one bad line
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
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(415)
            .WithMetadata(ShopSignatureSecured.Instance)
            .AllowAnonymous() // server-to-server: authenticated by the HMAC signature, not a user
            .DisableAntiforgery();

    private static async Task<Results<Ok<ItemImportResult>, ProblemHttpResult>> HandleAsync(
        long shopId, HttpRequest request, AllianceDbContext db, ItemImporter importer, TimeProvider clock, CancellationToken ct)
    {
        var body = await ShopSignatures.ReadBodyAsync(request, MaxBodyBytes, ct);
        if (body is null) return ShopSignatures.TooLarge(MaxBodyBytes);

        // An unknown shop (or one without a secret) is refused exactly like a wrong signature, after the same work.
        var secret = await db.Shops.Where(s => s.Id == shopId).Select(s => s.OrdersApiSecret).SingleOrDefaultAsync(ct);
        if (!ShopSignatures.Verify(body, secret, request.Headers[ShopSignatures.Header], clock.GetUtcNow(), acceptBodyOnly: false))
        {
            return ShopSignatures.Refused(acceptBodyOnly: false);
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
