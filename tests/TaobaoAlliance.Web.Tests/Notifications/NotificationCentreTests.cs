using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data.Notifications;
using TaobaoAlliance.Web.Notifications;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Notifications;

/// <summary>The bell, the list, mark read, preferences, and the email each notice becomes, in the recipient's language.</summary>
public sealed class NotificationCentreTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static string Tag() => "nt" + Guid.NewGuid().ToString("N")[..8];

    private async Task RejectSiteAsync(long siteId, string reason)
    {
        var adminId = await AdminUserIdAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<SiteReviews>()
            .DecideAsync(new SiteDecisionRequest(siteId, SiteDecision.Reject, reason, adminId), CancellationToken.None);
        outcome.Refusal.Should().BeNull();
    }

    private async Task MailAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        while (await scope.ServiceProvider.GetRequiredService<NotificationMailer>().RunOnceAsync() > 0)
        {
        }
    }

    /// <summary>The notices mailed to the user (not the sign-up's confirmation link, which every new account gets).</summary>
    private async Task<List<TaobaoAlliance.Data.Mail.OutboxEmail>> EmailsToAsync(long userId)
    {
        await using var db = app.NewDb();
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync();
        return await db.OutboxEmails.AsNoTracking().Where(e => e.To == email && !e.HtmlBody.Contains("/Account/ConfirmEmail"))
            .OrderBy(e => e.Id).ToListAsync();
    }

    private static string? Count(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "notification-count\">(\\d+)<") is { Success: true } m ? m.Groups[1].Value : null;

    [Fact]
    public async Task A_site_decision_reaches_the_bell_the_list_and_the_outbox_in_the_webmasters_language()
    {
        var tag = Tag();
        using var webmaster = await app.NewWebmasterAsync(acceptLanguage: "zh-Hans");
        var siteId = await NewSiteAsync(app, webmaster.Webmaster, $"{tag} 站点");
        Count(await webmaster.Browser.PageAsync("/Webmaster")).Should().BeNull("nothing has happened yet");

        await RejectSiteAsync(siteId, $"{tag} 内容太少");

        var dashboard = await webmaster.Browser.PageAsync("/Webmaster");
        Count(dashboard).Should().Be("1", "the bell counts the unread notice on every page");
        dashboard.Should().Contain("href=\"/Notifications\"").And.Contain("条未读", "the count is announced in words, not only as a number");
        var list = PageText.Text(await webmaster.Browser.PageAsync("/Notifications"));
        list.Should().Contain("网站未通过审核").And.Contain($"你的网站“{tag} 站点”未通过审核：{tag} 内容太少");

        await MailAsync();
        var email = (await EmailsToAsync(webmaster.UserId)).Should().ContainSingle().Subject;
        email.Subject.Should().Be("网站未通过审核", "the email is in the language stored at sign-up");
        email.HtmlBody.Should().Contain($"{tag} 内容太少").And.Contain("http://localhost/Webmaster/Sites").And.Contain("/Notifications/Preferences");
        await MailAsync();
        (await EmailsToAsync(webmaster.UserId)).Should().ContainSingle("a notice is mailed once");

        // Stored as a kind and arguments: after switching to English the same notice reads in English.
        using (var switched = await webmaster.Browser.PostRawAsync("/culture", [new("culture", "en"), new("returnUrl", "/")]))
        {
            switched.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        PageText.Text(await webmaster.Browser.PageAsync("/Notifications")).Should().Contain($"Your site “{tag} 站点” was rejected: {tag} 内容太少");

        using var read = await webmaster.Browser.SubmitAsync("/Notifications", f => f.Action.Contains("handler=Read", StringComparison.Ordinal) && !f.Action.Contains("ReadAll", StringComparison.Ordinal));
        read.StatusCode.Should().Be(HttpStatusCode.Redirect);
        Count(await webmaster.Browser.PageAsync("/Webmaster")).Should().BeNull("read notices are not counted");
    }

    [Fact]
    public async Task Switching_the_language_changes_the_language_of_later_emails()
    {
        using var webmaster = await app.NewWebmasterAsync();
        using var switched = await webmaster.Browser.PostRawAsync("/culture", [new("culture", "zh-Hans"), new("returnUrl", "/")]);
        switched.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var siteId = await NewSiteAsync(app, webmaster.Webmaster, Tag());

        await RejectSiteAsync(siteId, "重复");
        await MailAsync();

        (await EmailsToAsync(webmaster.UserId)).Should().ContainSingle().Which.Subject.Should().Be("网站未通过审核");
    }

    [Fact]
    public async Task Mark_all_read_clears_the_count_and_someone_elses_notice_cannot_be_marked()
    {
        using var webmaster = await app.NewWebmasterAsync();
        using var other = await app.NewWebmasterAsync();
        await RejectSiteAsync(await NewSiteAsync(app, webmaster.Webmaster, Tag()), "one");
        await RejectSiteAsync(await NewSiteAsync(app, webmaster.Webmaster, Tag()), "two");
        await RejectSiteAsync(await NewSiteAsync(app, other.Webmaster, Tag()), "other's");
        long othersId;
        await using (var db = app.NewDb())
        {
            othersId = await db.Notifications.Where(n => n.UserId == other.UserId).Select(n => n.Id).SingleAsync();
        }
        Count(await webmaster.Browser.PageAsync("/Notifications")).Should().Be("2");
        PageText.Text(await webmaster.Browser.PageAsync("/Notifications")).Should().NotContain("other's", "only the reader's own notices are listed");

        using var forged = await webmaster.Browser.PostAsync($"/Notifications?handler=Read&id={othersId}", [], tokenPage: "/Notifications");
        forged.StatusCode.Should().Be(HttpStatusCode.NotFound);
        await using (var db = app.NewDb())
        {
            (await db.Notifications.SingleAsync(n => n.Id == othersId)).ReadAt.Should().BeNull("nothing changed");
        }

        using var all = await webmaster.Browser.SubmitAsync("/Notifications", f => f.Action.Contains("handler=ReadAll", StringComparison.Ordinal));
        all.StatusCode.Should().Be(HttpStatusCode.Redirect);
        Count(await webmaster.Browser.PageAsync("/Notifications")).Should().BeNull();
        Count(await other.Browser.PageAsync("/Notifications")).Should().Be("1", "another user's count is theirs");
    }

    [Fact]
    public async Task With_email_off_for_a_kind_the_notice_stays_in_app_and_no_email_is_written()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var page = await webmaster.Browser.PageAsync("/Notifications/Preferences");
        page.Should().Contain("value=\"SiteDecision\"").And.NotContain("value=\"WalletLow\"", "a webmaster is shown the webmaster's kinds");
        using var saved = await webmaster.Browser.PostAsync("/Notifications/Preferences",
            [new("email", "PayoutDecision"), new("email", "CommissionConfirmed")], tokenPage: "/Notifications/Preferences");
        saved.StatusCode.Should().Be(HttpStatusCode.OK);
        var after = await webmaster.Browser.PageAsync("/Notifications/Preferences");
        after.Should().MatchRegex("value=\"PayoutDecision\"[^>]*checked").And.NotMatchRegex("value=\"SiteDecision\"[^>]*checked");

        await RejectSiteAsync(await NewSiteAsync(app, webmaster.Webmaster, Tag()), "no");
        await MailAsync();

        (await EmailsToAsync(webmaster.UserId)).Should().BeEmpty();
        await using var db = app.NewDb();
        (await db.Notifications.SingleAsync(n => n.UserId == webmaster.UserId)).EmailState.Should().Be(NotificationEmailState.Skipped);
        Count(await webmaster.Browser.PageAsync("/Notifications")).Should().Be("1", "in-app is always on");
    }

    [Fact]
    public async Task Preferences_refuse_a_kind_the_user_does_not_receive_and_change_nothing()
    {
        using var webmaster = await app.NewWebmasterAsync();

        using var response = await webmaster.Browser.PostAsync("/Notifications/Preferences",
            [new("email", "SiteDecision"), new("email", "WalletLow")], tokenPage: "/Notifications/Preferences");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("WalletLow");
        await using var db = app.NewDb();
        (await db.NotificationPreferences.CountAsync(p => p.UserId == webmaster.UserId)).Should().Be(0);
    }

    [Fact]
    public async Task A_rejected_payout_tells_the_webmaster_with_the_reason()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var world = new MoneyWorld(app);
        await using (var db = app.NewDb())
        {
            db.PayoutRequests.Add(new TaobaoAlliance.Data.Payouts.PayoutRequest
            {
                WebmasterId = webmaster.WebmasterId, AmountFen = 12_345, State = TaobaoAlliance.Data.Payouts.PayoutState.Requested, RequestedAt = world.Now,
            });
            await db.SaveChangesAsync();
        }
        long payoutId;
        await using (var db = app.NewDb())
        {
            payoutId = await db.PayoutRequests.Where(p => p.WebmasterId == webmaster.WebmasterId).Select(p => p.Id).SingleAsync();
        }

        var outcome = await world.WithPayoutsAsync(p => p.RejectAsync(payoutId, webmaster.UserId, "Bank details missing"));

        outcome.Refusal.Should().BeNull();
        PageText.Text(await webmaster.Browser.PageAsync("/Notifications"))
            .Should().Contain("Your payout request of ¥123.45 was rejected: Bank details missing.");
    }
}
