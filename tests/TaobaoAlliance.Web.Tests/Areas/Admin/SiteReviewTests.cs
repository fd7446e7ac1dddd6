using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>The site review queue: what it shows, and what each decision writes.</summary>
public sealed class SiteReviewTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    private static string Tag() => "rv" + Guid.NewGuid().ToString("N")[..8];

    private static string QueueUrl(string search, string state = "Pending") => $"/Admin/Sites?state={state}&q={search}";

    [Fact]
    public async Task The_queue_lists_pending_sites_oldest_first_with_owner_traffic_verification_and_history()
    {
        var tag = Tag();
        var webmaster = await world.NewWebmasterAsync();
        var newer = await NewSiteAsync(app, webmaster, $"{tag} newer", age: TimeSpan.FromDays(1), verified: false);
        var older = await NewSiteAsync(app, webmaster, $"{tag} older", age: TimeSpan.FromDays(3), claimedDailyVisitors: 4321);
        await NewSiteAsync(app, webmaster, $"{tag} approved", SiteState.Approved, age: TimeSpan.FromDays(5));
        var item = (await world.ItemsAsync()).Clicked;
        var visitor = Guid.NewGuid();
        for (var i = 0; i < 6; i++)
        {
            await world.ClickAsync(webmaster with { SiteId = older }, visitor, item.Id, world.Now.AddHours(-i - 1));
        }
        await world.ClickAsync(webmaster with { SiteId = older }, visitor, item.Id, world.Now.AddHours(-1), valid: false);
        await world.ClickAsync(webmaster with { SiteId = older }, visitor, item.Id, world.Now.AddDays(-31));
        using var admin = await AdminAsync(app);

        var html = await admin.PageAsync(QueueUrl(tag));

        html.Should().NotContain($"{tag} approved", "the queue shows pending sites unless asked for another state");
        html.IndexOf($"{tag} older", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf($"{tag} newer", StringComparison.Ordinal), "oldest first");
        var olderCard = Card(html, older);
        await using (var db = app.NewDb())
        {
            var owner = await db.Users.SingleAsync(u => u.Id == webmaster.UserId);
            olderCard.Should().Contain(owner.DisplayName).And.Contain(owner.Email!, "the owner's name and email are shown");
        }
        olderCard.Should().Contain("4,321 a day", "the claimed daily visitors");
        olderCard.Should().Contain("6 valid clicks in 3 days", "valid clicks of the last 30 days, over the days the site has existed");
        olderCard.Should().Contain("(2 a day)");
        olderCard.Should().Contain("Verified").And.Contain("Registered", "the history of decisions");
        olderCard.Should().Contain("rel=\"noopener noreferrer nofollow\"").And.Contain("target=\"_blank\"");
        olderCard.Should().Contain("handler=Approve").And.Contain("handler=Reject").And.NotContain("handler=Suspend");
        var newerCard = Card(html, newer);
        newerCard.Should().Contain("Not verified").And.NotContain("handler=Approve", "an unverified site cannot be approved yet");

        (await admin.PageAsync(QueueUrl(tag, "Approved"))).Should().Contain($"{tag} approved").And.NotContain($"{tag} older");
    }

    [Fact]
    public async Task Approving_a_site_writes_its_state_a_review_and_an_audit_row()
    {
        var tag = Tag();
        var siteId = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"{tag} site");
        using var admin = await AdminAsync(app);
        var adminId = await AdminUserIdAsync(app);

        using var response = await admin.SubmitAsync(QueueUrl(tag), Form("Approve", "siteId", siteId), new Dictionary<string, string> { ["reason"] = "Looks good" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await admin.PageAsync(response.Headers.Location!.OriginalString)).Should().Contain($"“{tag} site” is approved");
        var site = await SiteAsync(app, siteId);
        site.State.Should().Be(SiteState.Approved);
        site.StateReason.Should().BeNull();
        var review = site.Reviews.OrderBy(r => r.Id).Last();
        (review.FromState, review.ToState, review.Reason, review.ActorUserId).Should().Be((SiteState.Pending, SiteState.Approved, "Looks good", adminId));
        review.At.Should().Be(app.Clock.GetUtcNow());
        var audit = (await AuditAsync(app, "site", siteId)).Should().ContainSingle().Subject;
        (audit.Action, audit.ActorUserId).Should().Be(("site.approve", adminId));
        using var details = JsonDocument.Parse(audit.Details!);
        details.RootElement.GetProperty("fromState").GetString().Should().Be("Pending");
        details.RootElement.GetProperty("toState").GetString().Should().Be("Approved");
    }

    [Fact]
    public async Task Rejecting_with_a_reason_gives_the_webmaster_the_reason_with_a_review_and_an_audit_row()
    {
        var tag = Tag();
        var siteId = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"{tag} site");
        using var admin = await AdminAsync(app);

        using var response = await admin.SubmitAsync(QueueUrl(tag), Form("Reject", "siteId", siteId),
            new Dictionary<string, string> { ["reason"] = "  The site has no original content.  " });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var site = await SiteAsync(app, siteId);
        site.State.Should().Be(SiteState.Rejected);
        site.StateReason.Should().Be("The site has no original content.", "the webmaster's site page shows this reason");
        site.Reviews.OrderBy(r => r.Id).Last().Should().BeEquivalentTo(new { FromState = SiteState.Pending, ToState = SiteState.Rejected, Reason = "The site has no original content." });
        (await AuditAsync(app, "site", siteId)).Should().ContainSingle(a => a.Action == "site.reject" && a.Details!.Contains("no original content"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Rejecting_without_a_reason_asks_for_one_and_writes_nothing(string reason)
    {
        var tag = Tag();
        var siteId = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"{tag} site");
        using var admin = await AdminAsync(app);

        using var response = await admin.SubmitAsync(QueueUrl(tag), Form("Reject", "siteId", siteId), new Dictionary<string, string> { ["reason"] = reason });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        FormErrors(await response.Content.ReadAsStringAsync()).Should().Be("Give the webmaster a reason for the rejection.");
        var site = await SiteAsync(app, siteId);
        site.State.Should().Be(SiteState.Pending);
        site.Reviews.Should().ContainSingle("only the registration");
        (await AuditAsync(app, "site", siteId)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_reason_longer_than_a_thousand_characters_is_refused()
    {
        var tag = Tag();
        var siteId = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"{tag} site");
        using var admin = await AdminAsync(app);

        using var response = await admin.SubmitAsync(QueueUrl(tag), Form("Reject", "siteId", siteId),
            new Dictionary<string, string> { ["reason"] = new string('x', 1001) });

        FormErrors(await response.Content.ReadAsStringAsync()).Should().Be("The reason can be at most 1000 characters.");
        (await SiteAsync(app, siteId)).State.Should().Be(SiteState.Pending);
    }

    [Fact]
    public async Task Suspending_an_approved_site_needs_a_reason_and_re_approving_clears_it()
    {
        var tag = Tag();
        var siteId = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"{tag} site", SiteState.Approved);
        using var admin = await AdminAsync(app);

        using var noReason = await admin.SubmitAsync(QueueUrl(tag, "Approved"), Form("Suspend", "siteId", siteId));
        FormErrors(await noReason.Content.ReadAsStringAsync()).Should().Be("Give the webmaster a reason for the suspension.");
        (await SiteAsync(app, siteId)).State.Should().Be(SiteState.Approved);

        using var suspend = await admin.SubmitAsync(QueueUrl(tag, "Approved"), Form("Suspend", "siteId", siteId),
            new Dictionary<string, string> { ["reason"] = "Traffic from a click farm" });
        suspend.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var suspended = await SiteAsync(app, siteId);
        (suspended.State, suspended.StateReason).Should().Be((SiteState.Suspended, "Traffic from a click farm"));

        using var reapprove = await admin.SubmitAsync(QueueUrl(tag, "Suspended"), Form("Approve", "siteId", siteId));
        reapprove.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var site = await SiteAsync(app, siteId);
        (site.State, site.StateReason).Should().Be((SiteState.Approved, (string?)null));
        site.Reviews.OrderBy(r => r.Id).Skip(1).Select(r => (r.FromState, r.ToState)).Should().Equal(
            (SiteState.Approved, SiteState.Suspended), (SiteState.Suspended, SiteState.Approved));
        (await AuditAsync(app, "site", siteId)).Select(a => a.Action).Should().Equal("site.suspend", "site.approve");
    }

    [Fact]
    public async Task An_invalid_transition_is_a_form_message_and_writes_nothing()
    {
        var tag = Tag();
        var pending = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"{tag} pending");
        var unverified = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"{tag} unverified", verified: false);
        using var admin = await AdminAsync(app);

        // Forms the page does not offer, posted by hand: suspending a pending site, approving an unverified one.
        using var suspend = await admin.PostAsync("/Admin/Sites?handler=Suspend",
            new Dictionary<string, string> { ["siteId"] = pending.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "Why not" }, "/Admin/Sites");
        using var approve = await admin.PostAsync("/Admin/Sites?handler=Approve",
            new Dictionary<string, string> { ["siteId"] = unverified.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/Admin/Sites");

        FormErrors(await suspend.Content.ReadAsStringAsync()).Should().Be($"Only an approved site can be suspended; “{tag} pending” is pending review.");
        FormErrors(await approve.Content.ReadAsStringAsync()).Should().Be($"“{tag} unverified” has not proved ownership yet: approve it once it is verified.");
        foreach (var id in new[] { pending, unverified })
        {
            var site = await SiteAsync(app, id);
            (site.State, site.StateReason, site.Reviews.Count).Should().Be((SiteState.Pending, (string?)null, 1));
            (await AuditAsync(app, "site", id)).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Html_in_a_site_name_and_a_reason_is_shown_encoded()
    {
        var tag = Tag();
        var siteId = await NewSiteAsync(app, await world.NewWebmasterAsync(), $"<script>alert(1)</script>{tag}");
        using var admin = await AdminAsync(app);

        var queue = await admin.PageAsync(QueueUrl(tag));
        using var reject = await admin.SubmitAsync(QueueUrl(tag), Form("Reject", "siteId", siteId),
            new Dictionary<string, string> { ["reason"] = "<img src=x onerror=alert(2)>" });
        var rejected = await admin.PageAsync(QueueUrl(tag, "Rejected"));

        queue.Should().Contain($"&lt;script&gt;alert(1)&lt;/script&gt;{tag}").And.NotContain("<script>alert(1)</script>");
        rejected.Should().Contain("&lt;img src=x onerror=alert(2)&gt;").And.NotContain("<img src=x");
    }

    [Fact]
    public async Task A_site_that_does_not_exist_is_not_found()
    {
        using var admin = await AdminAsync(app);

        using var response = await admin.PostAsync("/Admin/Sites?handler=Approve", new Dictionary<string, string> { ["siteId"] = "987654321" }, "/Admin/Sites");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>The HTML of one site's card in the queue.</summary>
    private static string Card(string html, long siteId)
    {
        var start = html.IndexOf($"id=\"site-{siteId}\"", StringComparison.Ordinal);
        start.Should().BePositive($"site {siteId} is in the queue");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
