using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Sites;
using Microsoft.Extensions.Logging.Abstractions;
using TaobaoAlliance.Application.Links;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Library;

/// <summary>"Get link": one link per zone and item, its snippets and QR code, only for the owner and only on approved sites.</summary>
public sealed class GetLinkTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const long ItemId = 14;

    /// <summary>What the library's modal receives.</summary>
    private sealed record LinkJson(string ShortUrl, string LongUrl, string TextLink, string ImageCard, string QrUrl, string Pid, bool Created, bool IsPaused);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Posts as library.js does: form fields, and the page's antiforgery token in the RequestVerificationToken header.</summary>
    private static async Task<HttpResponseMessage> PostJsonAsync(SignedInWebmaster webmaster, long itemId, long zoneId, bool withToken = true)
    {
        var token = AntiforgeryToken.From(await webmaster.Browser.PageAsync("/Webmaster/Library"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Webmaster/Library/Link?handler=Json")
        {
            Content = new FormUrlEncodedContent([new("item", itemId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("zone", zoneId.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
        };
        if (withToken) request.Headers.Add("RequestVerificationToken", token);
        return await webmaster.Browser.Client.SendAsync(request);
    }

    private static async Task<LinkJson> GetLinkAsync(SignedInWebmaster webmaster, long itemId, long zoneId)
    {
        using var response = await PostJsonAsync(webmaster, itemId, zoneId);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LinkJson>(Json))!;
    }

    private async Task<int> LinkCountAsync(long zoneId, long itemId)
    {
        await using var db = app.NewDb();
        return await db.Links.CountAsync(l => l.ZoneId == zoneId && l.ItemId == itemId);
    }

    [Fact]
    public async Task Get_link_makes_one_link_per_zone_and_item_and_gives_the_same_one_again()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar", "Footer");

        var first = await GetLinkAsync(webmaster, ItemId, site.ZoneIds[0]);
        var again = await GetLinkAsync(webmaster, ItemId, site.ZoneIds[0]);
        var otherZone = await GetLinkAsync(webmaster, ItemId, site.ZoneIds[1]);

        first.Created.Should().BeTrue();
        again.Created.Should().BeFalse();
        again.ShortUrl.Should().Be(first.ShortUrl);
        otherZone.ShortUrl.Should().NotBe(first.ShortUrl, "each zone has its own link, so reports can tell them apart");
        (await LinkCountAsync(site.ZoneIds[0], ItemId)).Should().Be(1);
        await using var db = app.NewDb();
        var link = await db.Links.SingleAsync(l => l.ZoneId == site.ZoneIds[0] && l.ItemId == ItemId);
        link.Code.Should().MatchRegex("^[A-Za-z0-9]{8}$");
        link.WebmasterId.Should().Be(webmaster.WebmasterId);
        link.SiteId.Should().Be(site.Id);
        link.CreatedAt.Should().Be(app.Clock.GetUtcNow());
    }

    [Fact]
    public async Task The_snippets_carry_the_short_link_the_pid_the_image_the_title_and_the_price()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar");
        await using var db = app.NewDb();
        var item = await db.Items.Where(i => i.Id == ItemId).Select(i => new { i.TitleEn, i.PriceFen, i.ImageUrl }).SingleAsync();
        var code = await GetLinkAsync(webmaster, ItemId, site.ZoneIds[0]);
        var stored = await db.Links.Where(l => l.ZoneId == site.ZoneIds[0]).Select(l => l.Code).SingleAsync();
        var pid = $"mm_{webmaster.WebmasterId}_{site.Id}_{site.ZoneIds[0]}";
        var title = item.TitleEn.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

        code.ShortUrl.Should().Be($"http://localhost/c/{stored}");
        code.LongUrl.Should().Be($"http://localhost/c?pid={pid}&item={ItemId}");
        code.Pid.Should().Be(pid);
        code.TextLink.Should().Be($"<a href=\"http://localhost/c/{stored}\" target=\"_blank\" rel=\"sponsored noopener\">{title}</a>");
        code.ImageCard.Should().StartWith($"<a class=\"alliance-card\" href=\"http://localhost/c/{stored}\"")
            .And.Contain($"<img src=\"http://localhost{item.ImageUrl}\"")
            .And.Contain($"<span class=\"alliance-card-title\">{title}</span>")
            .And.Contain($"<span class=\"alliance-card-price\">{new Money(item.PriceFen)}</span></a>");
        code.QrUrl.Should().Be($"/Webmaster/Library/Link?handler=Qr&code={stored}");
    }

    [Fact]
    public async Task The_short_link_and_the_long_link_lead_to_the_item()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar");
        var link = await GetLinkAsync(webmaster, ItemId, site.ZoneIds[0]);
        using var shopper = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        shopper.DefaultRequestHeaders.UserAgent.ParseAdd(BrowserSession.UserAgent);

        using var viaShort = await shopper.GetAsync(new Uri(link.ShortUrl).PathAndQuery);
        using var viaLong = await shopper.GetAsync(new Uri(link.LongUrl).PathAndQuery);

        viaShort.StatusCode.Should().Be(HttpStatusCode.Redirect);
        viaShort.Headers.Location!.OriginalString.Should().StartWith($"/item/{ItemId}?alliance_click=");
        viaLong.StatusCode.Should().Be(HttpStatusCode.Redirect);
        viaLong.Headers.Location!.OriginalString.Should().StartWith($"/item/{ItemId}");
    }

    [Fact]
    public async Task The_QR_code_is_a_PNG_for_the_owner_and_not_found_for_anyone_else()
    {
        using var owner = await app.NewWebmasterAsync();
        using var stranger = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(owner.WebmasterId, SiteState.Approved, "Sidebar");
        var link = await GetLinkAsync(owner, ItemId, site.ZoneIds[0]);

        using var mine = await owner.Browser.GetAsync(link.QrUrl);
        using var theirs = await stranger.Browser.GetAsync(link.QrUrl);
        using var unknown = await owner.Browser.GetAsync("/Webmaster/Library/Link?handler=Qr&code=NoSuchC0");

        mine.StatusCode.Should().Be(HttpStatusCode.OK);
        mine.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        (await mine.Content.ReadAsByteArrayAsync()).Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        theirs.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_zone_of_a_site_that_is_not_approved_is_refused_and_nothing_is_written()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var pending = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Pending, "Sidebar");
        var suspended = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Suspended, "Sidebar");

        using var fromPending = await PostJsonAsync(webmaster, ItemId, pending.ZoneIds[0]);
        using var fromSuspended = await PostJsonAsync(webmaster, ItemId, suspended.ZoneIds[0]);
        using var page = await webmaster.Browser.GetAsync($"/Webmaster/Library/Link?item={ItemId}&zone={pending.ZoneIds[0]}");

        fromPending.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        fromPending.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await fromPending.Content.ReadAsStringAsync()).Should().Contain("not approved");
        fromSuspended.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        page.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await LinkCountAsync(pending.ZoneIds[0], ItemId)).Should().Be(0);
        (await LinkCountAsync(suspended.ZoneIds[0], ItemId)).Should().Be(0);
    }

    [Fact]
    public async Task Another_webmasters_zone_or_an_item_that_is_not_listed_is_not_found()
    {
        using var owner = await app.NewWebmasterAsync();
        using var stranger = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(owner.WebmasterId, SiteState.Approved, "Sidebar");
        var own = await app.AddSiteAsync(stranger.WebmasterId, SiteState.Approved, "Sidebar");
        await using var db = app.NewDb();
        var unlisted = await db.Items.OrderByDescending(i => i.Id).FirstAsync();
        unlisted.IsListed = false;
        await db.SaveChangesAsync();

        using var theirZone = await PostJsonAsync(stranger, ItemId, site.ZoneIds[0]);
        using var theirZonePage = await stranger.Browser.GetAsync($"/Webmaster/Library/Link?item={ItemId}&zone={site.ZoneIds[0]}");
        using var notListed = await PostJsonAsync(stranger, unlisted.Id, own.ZoneIds[0]);
        using var noSuchItem = await PostJsonAsync(stranger, 999_999, own.ZoneIds[0]);

        theirZone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        theirZonePage.StatusCode.Should().Be(HttpStatusCode.NotFound);
        notListed.StatusCode.Should().Be(HttpStatusCode.NotFound);
        noSuchItem.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await db.Links.CountAsync(l => l.ZoneId == site.ZoneIds[0] || l.ZoneId == own.ZoneIds[0])).Should().Be(0);
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_is_made()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar");

        using var response = await PostJsonAsync(webmaster, ItemId, site.ZoneIds[0], withToken: false);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await LinkCountAsync(site.ZoneIds[0], ItemId)).Should().Be(0);
    }

    [Fact]
    public async Task Without_javascript_the_link_page_shows_a_zone_picker_and_makes_the_link_on_post()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar", "Footer");

        var picker = await webmaster.Browser.PageAsync($"/Webmaster/Library/Link?item={ItemId}");
        var chosenBeforePost = await webmaster.Browser.PageAsync($"/Webmaster/Library/Link?item={ItemId}&zone={site.ZoneIds[1]}");
        (await LinkCountAsync(site.ZoneIds[1], ItemId)).Should().Be(0, "opening the page writes nothing");
        using var posted = await webmaster.Browser.SubmitAsync($"/Webmaster/Library/Link?item={ItemId}", "/Webmaster/Library/Link",
            new Dictionary<string, string> { ["zone"] = site.ZoneIds[1].ToString(System.Globalization.CultureInfo.InvariantCulture) });

        picker.Should().Contain($"<option value=\"{site.ZoneIds[0]}\">Sidebar</option>").And.NotContain("id=\"link-short\"");
        chosenBeforePost.Should().NotContain("id=\"link-short\"");
        posted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        posted.Headers.Location!.OriginalString.Should().Be($"/Webmaster/Library/Link?item={ItemId}&zone={site.ZoneIds[1]}");
        await using var db = app.NewDb();
        var code = await db.Links.Where(l => l.ZoneId == site.ZoneIds[1] && l.ItemId == ItemId).Select(l => l.Code).SingleAsync();
        var shown = await webmaster.Browser.PageAsync(posted.Headers.Location.OriginalString);
        shown.Should().Contain($"value=\"http://localhost/c/{code}\"").And.Contain($"pid=mm_{webmaster.WebmasterId}_{site.Id}_{site.ZoneIds[1]}")
            .And.Contain($"src=\"/Webmaster/Library/Link?handler=Qr&amp;code={code}\"").And.Contain("data-copy-target=\"link-card\"");
    }

    [Fact]
    public async Task The_library_offers_the_zones_of_approved_sites_only_and_points_to_sites_when_there_are_none()
    {
        using var newcomer = await app.NewWebmasterAsync();
        var pending = await app.AddSiteAsync(newcomer.WebmasterId, SiteState.Pending, "Waiting zone");
        var none = await newcomer.Browser.PageAsync("/Webmaster/Library");
        var approved = await app.AddSiteAsync(newcomer.WebmasterId, SiteState.Approved, "Ready zone");

        var some = await newcomer.Browser.PageAsync("/Webmaster/Library");

        none.Should().Contain("To get links you need an approved site with at least one ad zone.").And.Contain("href=\"/Webmaster/Sites\"")
            .And.NotContain("id=\"link-form\"");
        some.Should().Contain($"<option value=\"{approved.ZoneIds[0]}\">Ready zone</option>")
            .And.NotContain($"<option value=\"{pending.ZoneIds[0]}\"").And.Contain("id=\"link-modal\"").And.Contain("/js/library.js");
    }

    [Fact]
    public async Task A_code_that_is_already_taken_is_drawn_again()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar");
        var codes = new Queue<string>(["gF7kQ2xA", "Fresh123"]); // the first is a demo link's code
        await using var db = app.NewDb();

        var outcome = await new LinkService(db, app.Clock, NullLogger<LinkService>.Instance).GetOrCreateAsync(webmaster.WebmasterId,
            site.ZoneIds[0], ItemId, CancellationToken.None, codes.Dequeue);

        outcome.Created.Should().BeTrue();
        outcome.Link!.Code.Should().Be("Fresh123");
        codes.Should().BeEmpty();
        (await db.Links.CountAsync(l => l.Code == "gF7kQ2xA")).Should().Be(1, "the demo link is untouched");
    }

    [Fact]
    public async Task Many_requests_at_once_for_the_same_zone_and_item_end_with_one_link()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar");
        var itemIds = new long[] { 14, 23, 35, 46, 70 };

        foreach (var itemId in itemIds)
        {
            // Connections open first and a common start, so the requests really overlap.
            var contexts = Enumerable.Range(0, 12).Select(_ => app.NewDb()).ToList();
            foreach (var db in contexts) await db.Database.OpenConnectionAsync();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var requests = contexts.Select(async db =>
            {
                await start.Task;
                return await new LinkService(db, app.Clock, NullLogger<LinkService>.Instance)
                    .GetOrCreateAsync(webmaster.WebmasterId, site.ZoneIds[0], itemId, CancellationToken.None);
            }).ToList();
            start.SetResult();
            var answers = await Task.WhenAll(requests);
            foreach (var db in contexts) await db.DisposeAsync();

            answers.Count(a => a.Created).Should().Be(1, $"item {itemId}");
            answers.Select(a => a.Link!.Code).Distinct().Should().ContainSingle();
            (await LinkCountAsync(site.ZoneIds[0], itemId)).Should().Be(1);
        }
    }

    [Fact]
    public void A_title_with_markup_is_escaped_in_both_snippets()
    {
        var link = new LinkDetails(1, "Abc12345", new Attribution.Clicks.Pid(1, 2, 3), 14, false, "耳机 <b>\"新\"</b> & more", "x",
            new Money(1999), "/img/items/x.svg", "Site", "Zone");

        var snippets = link.Snippets(new Uri("https://alliance.example/"), link.TitleZh);

        snippets.TextLink.Should().Be("<a href=\"https://alliance.example/c/Abc12345\" target=\"_blank\" rel=\"sponsored noopener\">"
            + "耳机 &lt;b&gt;&quot;新&quot;&lt;/b&gt; &amp; more</a>");
        snippets.ImageCard.Should().Contain("alt=\"耳机 &lt;b&gt;&quot;新&quot;&lt;/b&gt; &amp; more\"")
            .And.Contain("<img src=\"https://alliance.example/img/items/x.svg\"").And.Contain(">¥19.99</span>").And.NotContain("<b>");
        snippets.LongUrl.Should().Be("https://alliance.example/c?pid=mm_1_2_3&item=14");
    }

    [Theory]
    [InlineData("/Webmaster/Sites")]
    [InlineData("/Webmaster/Sites/Register")]
    [InlineData("/Webmaster/Library")]
    [InlineData("/Webmaster/Library/Link?item=14")]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_other_roles_get_no_page(string url)
    {
        using var anonymous = new BrowserSession(app);
        using var buyer = await BrowserSession.NewBuyerAsync(app);

        using var signIn = await anonymous.GetAsync(url);
        using var refused = await buyer.GetAsync(url);

        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signIn.Headers.Location!.OriginalString.Should().Contain("/Account/SignIn");
        refused.StatusCode.Should().NotBe(HttpStatusCode.OK);
    }
}
