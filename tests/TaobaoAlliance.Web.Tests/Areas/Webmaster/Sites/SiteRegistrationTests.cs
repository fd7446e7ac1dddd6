using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Library;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

/// <summary>Registering a site, the ownership check against a real local site, zones and their PIDs, and privacy.</summary>
public sealed class SiteRegistrationTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static Dictionary<string, string> SiteForm(string name, string url) => new()
    {
        ["Input.Name"] = name,
        ["Input.Url"] = url,
        ["Input.CategoryId"] = "3",
        ["Input.ClaimedDailyVisitors"] = "1500",
        ["Input.Description"] = "Phone reviews <b>and</b> deals",
    };

    private static async Task<long> RegisterAsync(SignedInWebmaster webmaster, string name, string url)
    {
        using var response = await webmaster.Browser.SubmitAsync("/Webmaster/Sites/Register", "/Webmaster/Sites/Register", SiteForm(name, url));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.OriginalString;
        location.Should().StartWith("/Webmaster/Sites/");
        return long.Parse(location["/Webmaster/Sites/".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_registered_site_is_pending_with_a_random_token_its_first_history_row_and_an_audit_entry()
    {
        using var webmaster = await app.NewWebmasterAsync();

        var siteId = await RegisterAsync(webmaster, "Gadget <Fans>", "https://gadgets.example.com/");

        await using var db = app.NewDb();
        var site = await db.Sites.Include(s => s.Reviews).SingleAsync(s => s.Id == siteId);
        site.WebmasterId.Should().Be(webmaster.WebmasterId);
        site.State.Should().Be(SiteState.Pending);
        site.VerifiedAt.Should().BeNull();
        site.Url.Should().Be("https://gadgets.example.com/");
        site.ClaimedDailyVisitors.Should().Be(1500);
        site.VerificationToken.Should().MatchRegex("^ta-[A-Za-z0-9_-]{24}$");
        site.Reviews.Should().ContainSingle().Which.Should().BeEquivalentTo(new { ToState = SiteState.Pending, Reason = "Registered" });
        (await db.AuditLog.CountAsync(a => a.Action == "site.register" && a.EntityId == siteId.ToString() && a.ActorUserId == webmaster.UserId))
            .Should().Be(1);

        var details = await webmaster.Browser.PageAsync($"/Webmaster/Sites/{siteId}");
        details.Should().Contain(Html.Encode(SiteVerification.MetaTag(site.VerificationToken)), "the exact tag to paste is shown")
            .And.Contain("Gadget &lt;Fans&gt;", "typed text is encoded").And.NotContain("Gadget <Fans>")
            .And.Contain("Phone reviews &lt;b&gt;and&lt;/b&gt; deals")
            .And.Contain("data-copy-target=\"meta-tag\"").And.Contain("?handler=Verify");
        var list = await webmaster.Browser.PageAsync("/Webmaster/Sites");
        list.Should().Contain($"data-site-id=\"{siteId}\"").And.Contain("data-state=\"Pending\"").And.Contain("Not verified yet");
    }

    [Theory]
    [InlineData("My blog", "gadgets.example.com", "starting with http:// or https://")]
    [InlineData("My blog", "ftp://gadgets.example.com/", "starting with http:// or https://")]
    [InlineData("My blog", "/relative/page", "starting with http:// or https://")]
    [InlineData("My blog", "https://admin:secret@gadgets.example.com/", "must not contain a user name or password")]
    [InlineData("", "https://gadgets.example.com/", "Site name is required.")]
    [InlineData("My blog", "", "Home page address is required.")]
    public async Task A_bad_address_or_a_missing_name_is_a_form_message_and_writes_nothing(string name, string url, string message)
    {
        using var webmaster = await app.NewWebmasterAsync();
        await using var db = app.NewDb();
        var auditBefore = await db.AuditLog.CountAsync();

        using var response = await webmaster.Browser.SubmitAsync("/Webmaster/Sites/Register", "/Webmaster/Sites/Register", SiteForm(name, url));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await db.Sites.CountAsync(s => s.WebmasterId == webmaster.WebmasterId)).Should().Be(0);
        (await db.AuditLog.CountAsync()).Should().Be(auditBefore);
    }

    [Fact]
    public async Task Claimed_visitors_outside_the_range_and_an_unknown_category_are_refused()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var form = SiteForm("My blog", "https://blog.example.com/");
        form["Input.ClaimedDailyVisitors"] = "100000001";
        form["Input.CategoryId"] = "999";

        using var response = await webmaster.Browser.SubmitAsync("/Webmaster/Sites/Register", "/Webmaster/Sites/Register", form);

        var messages = PageText.Messages(await response.Content.ReadAsStringAsync());
        messages.Should().Contain("Daily unique visitors must be between 0 and 100000000.").And.Contain("Choose a category.");
        await using var db = app.NewDb();
        (await db.Sites.CountAsync(s => s.WebmasterId == webmaster.WebmasterId)).Should().Be(0);
    }

    [Fact]
    public async Task Verify_now_finds_the_tag_on_the_home_page_and_marks_the_site_verified_still_pending()
    {
        using var webmaster = await app.NewWebmasterAsync();
        await using var site = LocalTestSite.Serving(LocalTestSite.HomePage(""));
        var siteId = await RegisterAsync(webmaster, "My blog", site.BaseUrl.AbsoluteUri);
        await using var db = app.NewDb();
        var token = await db.Sites.Where(s => s.Id == siteId).Select(s => s.VerificationToken).SingleAsync();
        site.Respond = _ => new TestResponse(200, LocalTestSite.HomePage(SiteVerification.MetaTag(token)));

        using var response = await webmaster.Browser.SubmitAsync($"/Webmaster/Sites/{siteId}", $"/Webmaster/Sites/{siteId}?handler=Verify");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await webmaster.Browser.PageAsync(response.Headers.Location!.OriginalString)).Should().Contain("Verified — pending review");
        var stored = await db.Sites.AsNoTracking().Include(s => s.Reviews).SingleAsync(s => s.Id == siteId);
        stored.VerifiedAt.Should().Be(app.Clock.GetUtcNow());
        stored.State.Should().Be(SiteState.Pending, "an admin still has to approve it");
        stored.Reviews.Select(r => r.Reason).Should().Equal("Registered", "Ownership verified");
        site.Requests.Should().Contain("/");
    }

    [Fact]
    public async Task Verify_now_on_a_page_without_the_tag_explains_and_changes_nothing()
    {
        using var webmaster = await app.NewWebmasterAsync();
        await using var site = LocalTestSite.Serving(LocalTestSite.HomePage(SiteVerification.MetaTag("ta-someone-elses-token")));
        var siteId = await RegisterAsync(webmaster, "My blog", site.BaseUrl.AbsoluteUri);

        using var response = await webmaster.Browser.SubmitAsync($"/Webmaster/Sites/{siteId}", $"/Webmaster/Sites/{siteId}?handler=Verify");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain("does not carry the verification tag");
        site.Requests.Should().Contain("/", "the page was fetched");
        await AssertUnchangedAsync(siteId);
    }

    [Fact]
    public async Task Verify_now_on_a_site_that_cannot_be_reached_shows_why_and_changes_nothing()
    {
        using var webmaster = await app.NewWebmasterAsync();
        Uri gone;
        await using (var site = LocalTestSite.Serving(LocalTestSite.HomePage(""))) gone = site.BaseUrl;
        var siteId = await RegisterAsync(webmaster, "My blog", gone.AbsoluteUri);

        using var response = await webmaster.Browser.SubmitAsync($"/Webmaster/Sites/{siteId}", $"/Webmaster/Sites/{siteId}?handler=Verify");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain("We could not read your home page: The site could not be reached");
        await AssertUnchangedAsync(siteId);
    }

    private async Task AssertUnchangedAsync(long siteId)
    {
        await using var db = app.NewDb();
        var stored = await db.Sites.AsNoTracking().Include(s => s.Reviews).SingleAsync(s => s.Id == siteId);
        stored.VerifiedAt.Should().BeNull();
        stored.State.Should().Be(SiteState.Pending);
        stored.Reviews.Should().ContainSingle();
        (await db.AuditLog.CountAsync(a => a.Action == "site.verify" && a.EntityId == siteId.ToString())).Should().Be(0);
    }

    [Fact]
    public async Task A_new_zone_is_listed_with_its_pid()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var siteId = await RegisterAsync(webmaster, "My blog", "https://zones.example.com/");

        using var response = await webmaster.Browser.SubmitAsync($"/Webmaster/Sites/{siteId}", $"/Webmaster/Sites/{siteId}?handler=AddZone",
            new Dictionary<string, string> { ["Zone.Name"] = "Sidebar", ["Zone.IsSmart"] = "true" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using var db = app.NewDb();
        var zone = await db.AdZones.SingleAsync(z => z.SiteId == siteId);
        zone.Name.Should().Be("Sidebar");
        zone.IsSmart.Should().BeTrue();
        var page = await webmaster.Browser.PageAsync($"/Webmaster/Sites/{siteId}");
        page.Should().Contain($"value=\"mm_{webmaster.WebmasterId}_{siteId}_{zone.Id}\"").And.Contain($"data-zone-id=\"{zone.Id}\"");
    }

    [Fact]
    public async Task A_zone_without_a_name_or_with_a_name_the_site_has_is_refused()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Approved, "Sidebar");

        using var empty = await webmaster.Browser.SubmitAsync($"/Webmaster/Sites/{site.Id}", $"/Webmaster/Sites/{site.Id}?handler=AddZone",
            new Dictionary<string, string> { ["Zone.Name"] = " " });
        using var twice = await webmaster.Browser.SubmitAsync($"/Webmaster/Sites/{site.Id}", $"/Webmaster/Sites/{site.Id}?handler=AddZone",
            new Dictionary<string, string> { ["Zone.Name"] = "sidebar" });

        PageText.Messages(await empty.Content.ReadAsStringAsync()).Should().Contain("Zone name is required.");
        PageText.Messages(await twice.Content.ReadAsStringAsync()).Should().Contain("already has a zone with that name");
        await using var db = app.NewDb();
        (await db.AdZones.CountAsync(z => z.SiteId == site.Id)).Should().Be(1);
    }

    [Fact]
    public async Task Another_webmasters_site_is_not_found_and_cannot_be_changed()
    {
        using var owner = await app.NewWebmasterAsync();
        using var stranger = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(owner.WebmasterId, SiteState.Pending, "Sidebar");

        using var page = await stranger.Browser.GetAsync($"/Webmaster/Sites/{site.Id}");
        using var verify = await stranger.Browser.PostAsync($"/Webmaster/Sites/{site.Id}?handler=Verify", [], tokenPage: "/Webmaster/Sites");
        using var zone = await stranger.Browser.PostAsync($"/Webmaster/Sites/{site.Id}?handler=AddZone",
            [new("Zone.Name", "Hijack")], tokenPage: "/Webmaster/Sites");

        page.StatusCode.Should().Be(HttpStatusCode.NotFound);
        verify.StatusCode.Should().Be(HttpStatusCode.NotFound);
        zone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.Browser.PageAsync("/Webmaster/Sites")).Should().NotContain($"data-site-id=\"{site.Id}\"");
        await using var db = app.NewDb();
        (await db.AdZones.CountAsync(z => z.SiteId == site.Id)).Should().Be(1);
        (await db.Sites.Where(s => s.Id == site.Id).Select(s => s.VerifiedAt).SingleAsync()).Should().NotBeNull("it was arranged verified and stays so");
    }

    [Fact]
    public async Task The_admins_reason_and_the_decisions_are_shown_to_the_webmaster_oldest_first()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var site = await app.AddSiteAsync(webmaster.WebmasterId, SiteState.Rejected);
        await using (var db = app.NewDb())
        {
            var row = await db.Sites.SingleAsync(s => s.Id == site.Id);
            row.StateReason = "Too many <script> pop-ups";
            var at = app.Clock.GetUtcNow();
            db.SiteReviews.AddRange(
                new SiteReview { SiteId = site.Id, ToState = SiteState.Rejected, FromState = SiteState.Pending, Reason = "Too many <script> pop-ups", At = at.AddHours(1) },
                new SiteReview { SiteId = site.Id, ToState = SiteState.Pending, Reason = "Registered", At = at });
            await db.SaveChangesAsync();
        }

        var list = await webmaster.Browser.PageAsync("/Webmaster/Sites");
        var details = await webmaster.Browser.PageAsync($"/Webmaster/Sites/{site.Id}");

        foreach (var html in new[] { list, details })
        {
            html.Should().Contain("Too many &lt;script&gt; pop-ups").And.NotContain("<script> pop-ups").And.Contain("data-state=\"Rejected\"");
            html.IndexOf("Registered", StringComparison.Ordinal).Should().BeLessThan(html.LastIndexOf("Too many &lt;script&gt;", StringComparison.Ordinal));
        }
    }
}
