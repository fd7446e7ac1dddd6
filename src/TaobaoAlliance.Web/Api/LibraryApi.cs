using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Library;
using TaobaoAlliance.Application.Links;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Links;
using TaobaoAlliance.Web.Links;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// The item library for a webmaster's own tools: search (<see cref="ItemLibrary"/>, the library page's query) with
/// ready links for one of their zones, "get link" (<see cref="LinkService"/>, the page's use case), and a product
/// feed of a zone's links. Titles and names follow the request's language, as on the pages.
/// </summary>
public static class LibraryApi
{
    /// <summary>A feed holds at most this many links (oldest first): enough for any real zone, bounded for the server.</summary>
    public const int MaxFeedItems = 10_000;

    public sealed record ItemLinks(string? ShortUrl, string LongUrl);

    /// <summary>
    /// An item as the library shows it. <c>commissionFen</c> is price × rate (what the library lists);
    /// <c>webmasterCommissionFen</c> is what the webmaster keeps of it after the platform fee; EPC is what webmasters
    /// earned per valid click in the last 30 days.
    /// </summary>
    public sealed record ItemDto(long Id, string Title, string OtherTitle, string ShopName, long PriceFen, decimal CommissionRatePercent,
        long CommissionFen, long WebmasterCommissionFen, long EpcFen, int Clicks30Days, int MonthlySales, string ImageUrl, ItemLinks Links);

    /// <summary>One page of items; pass <c>nextCursor</c> back as <c>cursor</c> (with the same filters) for the next, null at the end.</summary>
    public sealed record ItemsPage(IReadOnlyList<ItemDto> Items, int TotalItems, string? NextCursor);

    /// <summary>
    /// The item by id, or by <c>url</c>: a product URL of a registered store (a deep link). <c>sub1</c>…<c>sub5</c> are
    /// appended to the links (printable text, at most 64 characters each, else 400).
    /// </summary>
    public sealed record LinkRequest(long? ItemId, long? ZoneId, string? Url = null,
        string? Sub1 = null, string? Sub2 = null, string? Sub3 = null, string? Sub4 = null, string? Sub5 = null);

    public sealed record LinkDto(long Id, string Code, string Pid, long ItemId, long ZoneId, string SiteName, string ZoneName, bool IsPaused,
        bool Created, string ShortUrl, string LongUrl, string TextLink, string ImageCard,
        string? Sub1 = null, string? Sub2 = null, string? Sub3 = null, string? Sub4 = null, string? Sub5 = null);

    public sealed record FeedItem(long ItemId, string Title, long PriceFen, string ImageUrl, decimal CommissionRatePercent, long CommissionFen,
        long WebmasterCommissionFen, string ShortUrl, string LongUrl, bool IsPaused);

    public static void MapLibraryApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").RequireAuthorization(WebmasterApi.Policy).WithTags("Library");
        group.MapGet("/items", SearchAsync).WithName("SearchItems")
            .WithSummary("Search the item library, with ready links for one of your zones")
            .WithDescription("sort: sales (default), rate, commission, priceAsc, priceDesc, epc. Prices in yuan, rates in percent. "
                + "Pages of " + ItemLibrary.PageSize + " items; follow nextCursor.")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(429);
        group.MapPost("/links", CreateLinkAsync).WithName("CreateLink")
            .WithSummary("Get the link for an item and one of your zones (made if there is none yet: 201, else 200)")
            .Accepts<LinkRequest>("application/json")
            .Produces<LinkDto>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(415).ProducesProblem(429)
            .DisableAntiforgery();
        group.MapGet("/feed", FeedAsync).WithName("ZoneFeed")
            .WithSummary("Product feed of a zone: the items you made links for in it (format=json or csv)")
            .Produces<List<FeedItem>>(200, "application/json", "text/csv")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(429);
    }

    private static async Task<Results<Ok<ItemsPage>, ProblemHttpResult>> SearchAsync(
        HttpRequest request, ClaimsPrincipal user, ItemLibrary library, LinkService links, IOptionsSnapshot<AllianceOptions> options,
        long? zone, string? q, int? category, long? shop, decimal? minPrice, decimal? maxPrice, decimal? minRate, decimal? maxRate,
        string? sort, string? cursor, CancellationToken ct)
    {
        if (zone is not { } zoneId) return BadRequest("zone is required: one of your zones (the links are made for it).");
        if (q is { Length: > 100 }) return BadRequest("q can be at most 100 characters.");
        if (minPrice is < 0 or > 10_000_000 || maxPrice is < 0 or > 10_000_000) return BadRequest("Prices must be between 0 and 10000000 yuan.");
        if (minRate is < 0 or > 90 || maxRate is < 0 or > 90) return BadRequest("Rates must be between 0 and 90 percent.");
        if (minPrice > maxPrice) return BadRequest("maxPrice must not be below minPrice.");
        if (minRate > maxRate) return BadRequest("maxRate must not be below minRate.");
        var order = LibrarySort.Sales;
        if (sort is not null && !ApiQuery.TryParseName(sort, out order))
        {
            return BadRequest("sort must be one of: " + string.Join(", ", Enum.GetNames<LibrarySort>().Select(Camel)) + ".");
        }
        // The cursor names the page of this very query: one made for other filters or another order is refused, not misread.
        var fingerprint = Fingerprint(q?.Trim(), category, shop, minPrice, maxPrice, minRate, maxRate, order);
        var pageNumber = 1;
        if (cursor is not null && !ItemCursor.TryRead(cursor, fingerprint, out pageNumber))
        {
            return BadRequest("cursor is not one this search gave (it is only valid with the same filters and sort).");
        }

        var webmasterId = user.WebmasterId();
        var linkZone = await links.ZoneAsync(webmasterId, zoneId, ct);
        if (linkZone is null) return TypedResults.Problem(statusCode: 404, title: "Zone not found", detail: "No zone of yours has this id.");
        if (!linkZone.SiteApproved) return BadRequest("This zone's site is not approved, so its links could not earn.", "Site not approved");

        var chinese = CultureInfo.CurrentUICulture.IsChinese();
        var found = await library.SearchAsync(
            new LibrarySearch(q, category, shop, minPrice, maxPrice, minRate, order, pageNumber) { MaxRate = maxRate }, webmasterId, chinese, ct);
        // The library shows the last page for a page beyond the end; a cursor past the end (the list got shorter) reads nothing instead.
        IReadOnlyList<LibraryItem> items = found.PageNumber == pageNumber ? found.Items : [];
        var codes = await links.CodesAsync(webmasterId, zoneId, [.. items.Select(i => i.Id)], ct);
        var origin = request.Origin();
        var fee = new Rate(options.Value.PlatformFeeBp);
        var dtos = items.Select(i => new ItemDto(i.Id, i.Title, i.OtherTitle, i.ShopName, i.Price.Fen, i.Rate.Percent, i.Commission.Fen,
            CommissionCalculator.Split(i.Price, i.Rate, fee).Webmaster.Fen, i.Epc.Fen, i.Clicks, i.MonthlySales, AbsoluteImage(i.ImageUrl, origin),
            new ItemLinks(codes.TryGetValue(i.Id, out var code) ? LinkSnippets.ShortUrlOf(code, origin) : null,
                LinkSnippets.LongUrlOf(linkZone.Pid, i.Id, origin)))).ToList();
        var next = items.Count > 0 && pageNumber < found.PageCount ? ItemCursor.Write(fingerprint, pageNumber + 1) : null;
        return TypedResults.Ok(new ItemsPage(dtos, found.TotalItems, next));
    }

    private static async Task<Results<Ok<LinkDto>, Created<LinkDto>, ProblemHttpResult>> CreateLinkAsync(
        HttpRequest request, ClaimsPrincipal user, LinkService links, IStringLocalizer<SharedResource> localizer,
        [FromBody] LinkRequest? body, CancellationToken ct)
    {
        if (body is not { ZoneId: { } zoneId } || (body.ItemId is null && string.IsNullOrWhiteSpace(body.Url)))
        {
            return BadRequest("Send zoneId, and itemId or url (a product URL of a registered store).");
        }
        if (SubIds.Invalid(body.Sub1, body.Sub2, body.Sub3, body.Sub4, body.Sub5, out var subIds) is { } bad)
        {
            return BadRequest($"{bad} must be printable text of at most {SubIds.MaxLength} characters.", "Bad sub-id");
        }
        long itemId;
        if (body.ItemId is { } id)
        {
            itemId = id;
        }
        else
        {
            var match = await links.MatchProductUrlAsync(body.Url!, ct);
            if (match is null) return BadRequest("No shop registered this URL's host: only product URLs of registered stores become links.", "Unknown store");
            if (match.ItemId is not { } found)
            {
                return BadRequest("This store is registered but this URL is not one of its listed items; links to a whole shop are not available yet.", "Unknown product");
            }
            itemId = found;
        }
        var outcome = await links.GetOrCreateAsync(user.WebmasterId(), zoneId, itemId, ct);
        if (outcome.Refusal != LinkRefusal.None)
        {
            // The body names the item and the zone: one that is not there (or not yours) is a bad request, like the page's refusals.
            return BadRequest(outcome.Refusal == LinkRefusal.ZoneNotFound ? "No zone of yours has this id." : LinkMessages.Refused(outcome.Refusal, localizer),
                outcome.Refusal.ToString());
        }
        var link = outcome.Link!;
        var snippets = link.Snippets(request.Origin(), CultureInfo.CurrentUICulture.IsChinese() ? link.TitleZh : link.TitleEn, subIds);
        var dto = new LinkDto(link.Id, link.Code, link.Pid.ToString(), link.ItemId, link.Pid.ZoneId, link.SiteName, link.ZoneName, link.IsPaused,
            outcome.Created, snippets.ShortUrl, snippets.LongUrl, snippets.TextLink, snippets.ImageCard,
            subIds.Sub1, subIds.Sub2, subIds.Sub3, subIds.Sub4, subIds.Sub5);
        return outcome.Created ? TypedResults.Created((string?)null, dto) : TypedResults.Ok(dto);
    }

    private static async Task<IResult> FeedAsync(
        HttpRequest request, ClaimsPrincipal user, LinkService links, IOptionsSnapshot<AllianceOptions> options, long? zone, string? format,
        CancellationToken ct)
    {
        if (zone is not { } zoneId) return BadRequest("zone is required.");
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && format is not null && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)) return BadRequest("format must be json or csv.");
        var webmasterId = user.WebmasterId();
        var linkZone = await links.ZoneAsync(webmasterId, zoneId, ct);
        if (linkZone is null) return TypedResults.Problem(statusCode: 404, title: "Zone not found", detail: "No zone of yours has this id.");
        if (!linkZone.SiteApproved) return BadRequest("This zone's site is not approved, so its links could not earn.", "Site not approved");

        var chinese = CultureInfo.CurrentUICulture.IsChinese();
        var origin = request.Origin();
        var fee = new Rate(options.Value.PlatformFeeBp);
        var items = (await links.ListZoneAsync(webmasterId, zoneId, MaxFeedItems, ct)).Select(z =>
        {
            var link = z.Link;
            var title = chinese ? link.TitleZh : link.TitleEn;
            var snippets = link.Snippets(origin, title);
            return new FeedItem(link.ItemId, title, link.Price.Fen, AbsoluteImage(link.ImageUrl, origin), z.Rate.Percent, link.Price.Times(z.Rate).Fen,
                CommissionCalculator.Split(link.Price, z.Rate, fee).Webmaster.Fen, snippets.ShortUrl, snippets.LongUrl, link.IsPaused);
        }).ToList();
        if (!csv) return TypedResults.Ok(items);

        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var writer = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "item_id", "title", "price_yuan", "image_url", "commission_rate_percent", "commission_yuan",
                         "webmaster_commission_yuan", "short_url", "long_url", "paused" })
            {
                writer.WriteField(header);
            }
            await writer.NextRecordAsync();
            foreach (var item in items)
            {
                writer.WriteField(item.ItemId);
                writer.WriteField(item.Title);
                writer.WriteField(new Money(item.PriceFen).Yuan.ToString("0.00", CultureInfo.InvariantCulture));
                writer.WriteField(item.ImageUrl);
                writer.WriteField(item.CommissionRatePercent.ToString("0.##", CultureInfo.InvariantCulture));
                writer.WriteField(new Money(item.CommissionFen).Yuan.ToString("0.00", CultureInfo.InvariantCulture));
                writer.WriteField(new Money(item.WebmasterCommissionFen).Yuan.ToString("0.00", CultureInfo.InvariantCulture));
                writer.WriteField(item.ShortUrl);
                writer.WriteField(item.LongUrl);
                writer.WriteField(item.IsPaused ? "true" : "false");
                await writer.NextRecordAsync();
            }
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8",
            string.Create(CultureInfo.InvariantCulture, $"feed-zone-{zoneId}.csv"));
    }

    private static ProblemHttpResult BadRequest(string detail, string title = "Bad request") =>
        TypedResults.Problem(statusCode: 400, title: title, detail: detail);

    private static string AbsoluteImage(string imageUrl, Uri origin) =>
        Uri.TryCreate(imageUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsoluteUri
            : new Uri(origin, imageUrl).AbsoluteUri;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Fingerprint(string? q, int? category, long? shop, decimal? minPrice, decimal? maxPrice, decimal? minRate, decimal? maxRate,
        LibrarySort sort)
    {
        var text = string.Join('\u001f', q ?? "", Invariant(category), Invariant(shop), Invariant(minPrice), Invariant(maxPrice), Invariant(minRate),
            Invariant(maxRate), sort.ToString());
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    private static string Invariant(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// An opaque page cursor: the page number of one query (its filters' fingerprint). The library's orders all end
    /// with the item id, so each page is a fixed slice of one total order: following the cursors reads every match once.
    /// </summary>
    private static class ItemCursor
    {
        public static string Write(string fingerprint, int page) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"1.{fingerprint}.{page}")));

        public static bool TryRead(string cursor, string fingerprint, out int page)
        {
            page = 0;
            if (cursor.Length > 100 || !Base64Url.IsValid(cursor)) return false;
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
            return parts.Length == 3 && parts[0] == "1" && parts[1] == fingerprint
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out page) && page is >= 2 and <= 1_000_000;
        }
    }
}
