using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Data.Payouts;
using static TaobaoAlliance.Testing.MoneyWorld;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Balance;

/// <summary>Balance and payouts: the balances, the statement, the payout requests and the request form.</summary>
public sealed class BalanceTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    /// <summary>
    /// A signed-in webmaster with ¥450 available: an order of ¥1,000 at 50 % (¥500 commission, ¥50 fee)
    /// confirmed and settled after the hold, moved along by the test's clock.
    /// </summary>
    private async Task<(SignedInWebmaster Me, string OrderId)> WithAvailableMoneyAsync()
    {
        var me = await app.NewSignedInWebmasterAsync();
        await me.SetPayoutMethodAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(me.Webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 5_000);
        var orderId = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now.AddMinutes(-5), visitor, Line(item.Id, 1, 100_000)));
        await world.ProcessAsync(Confirmed(item.ShopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();
        return (me, orderId);
    }

    private static Task<HttpResponseMessage> RequestPayoutAsync(BrowserSession browser, string amount) =>
        browser.SubmitAsync("/Webmaster/Balance", "/Webmaster/Balance", new Dictionary<string, string> { ["Input.Amount"] = amount });

    private async Task<int> JournalLinesOfAsync(long webmasterId)
    {
        await using var db = app.NewDb();
        return await db.JournalLines.CountAsync(l => db.LedgerAccounts.Any(a => a.Id == l.AccountId && a.WebmasterId == webmasterId));
    }

    [Fact]
    public async Task The_balances_and_the_statement_show_every_movement_of_the_webmasters_money()
    {
        var (me, orderId) = await WithAvailableMoneyAsync();
        using var _ = me;

        var html = await me.Browser.PageAsync("/Webmaster/Balance");

        ReportTesting.Balance(html, "pending").Should().Be("¥0.00");
        ReportTesting.Balance(html, "available").Should().Be("¥450.00");
        ReportTesting.Balance(html, "payout-requested").Should().Be("¥0.00");
        ReportTesting.Balance(html, "paid-out").Should().Be("¥0.00");
        var lines = StatementLines(html);
        lines.Should().Equal(
            ("commission.settled", "WebmasterAvailable", "+¥450.00"),
            ("commission.settled", "WebmasterPending", "-¥450.00"),
            ("commission.accrued", "WebmasterPending", "+¥450.00"));
        html.Should().Contain($"Commission on order {orderId} settled: now available").And.Contain($"Commission on order {orderId}: pending until it settles");
        html.Should().Contain("The smallest payout is ¥100.00.");
    }

    [Fact]
    public async Task A_payout_below_the_threshold_is_refused_with_a_message_and_nothing_is_written()
    {
        var (me, _) = await WithAvailableMoneyAsync();
        using var _ = me;
        var linesBefore = await JournalLinesOfAsync(me.Webmaster.Id);

        using var response = await RequestPayoutAsync(me.Browser, "99.99");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Be("The smallest payout is ¥100.00.");
        await using var db = app.NewDb();
        (await db.PayoutRequests.CountAsync(p => p.WebmasterId == me.Webmaster.Id)).Should().Be(0);
        (await JournalLinesOfAsync(me.Webmaster.Id)).Should().Be(linesBefore);
        ReportTesting.Balance(await me.Browser.PageAsync("/Webmaster/Balance"), "available").Should().Be("¥450.00");
    }

    [Theory]
    [InlineData("450.01", "You can request at most your available balance, ¥450.00.")]
    [InlineData("120.505", "Enter the amount in yuan with at most two decimals, such as 120.50.")]
    [InlineData("", "Amount (¥) is required.")]
    [InlineData("lots", "The value 'lots' is not valid for Amount (¥).")]
    public async Task A_payout_the_rules_refuse_shows_why_and_writes_nothing(string amount, string message)
    {
        var (me, _) = await WithAvailableMoneyAsync();
        using var _ = me;

        using var response = await RequestPayoutAsync(me.Browser, amount);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Be(message);
        await using var db = app.NewDb();
        (await db.PayoutRequests.CountAsync(p => p.WebmasterId == me.Webmaster.Id)).Should().Be(0);
    }

    [Fact]
    public async Task A_valid_payout_request_shows_as_open_and_moves_the_money_to_payout_requested()
    {
        var (me, _) = await WithAvailableMoneyAsync();
        using var _ = me;

        using var response = await RequestPayoutAsync(me.Browser, "120.50");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/Webmaster/Balance");
        await using var db = app.NewDb();
        var payout = await db.PayoutRequests.SingleAsync(p => p.WebmasterId == me.Webmaster.Id);
        (payout.AmountFen, payout.State).Should().Be((12_050L, PayoutState.Requested));

        var html = await me.Browser.PageAsync("/Webmaster/Balance");
        html.Should().Contain("Your payout request of ¥120.50 is sent.");
        ReportTesting.Balance(html, "available").Should().Be("¥329.50");
        ReportTesting.Balance(html, "payout-requested").Should().Be("¥120.50");
        html.Should().MatchRegex($"(?s)data-payout=\"{payout.Id}\" data-state=\"Requested\">.*?¥120.50.*?Waiting for review");
        WebUtility.HtmlDecode(html).Should().Contain($"Your request #{payout.Id} of ¥120.50 is waiting for an admin's decision.");
        BrowserSession.Forms(html).Should().NotContain(f => f.Fields.ContainsKey("Input.Amount"), "one open request at a time");
        StatementLines(html).Take(2).Should().Equal(
            ("payout.requested", "WebmasterPayoutRequested", "+¥120.50"),
            ("payout.requested", "WebmasterAvailable", "-¥120.50"));
        html.Should().Contain($"Payout request #{payout.Id}");
    }

    [Fact]
    public async Task A_rejected_payout_shows_the_admins_reason_encoded_and_the_money_back_in_available()
    {
        var (me, _) = await WithAvailableMoneyAsync();
        using var _ = me;
        (await RequestPayoutAsync(me.Browser, "200")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using var db = app.NewDb();
        var payout = await db.PayoutRequests.SingleAsync(p => p.WebmasterId == me.Webmaster.Id);
        var admin = await db.Users.Where(u => u.Email == "admin@taobaoalliance.local").Select(u => u.Id).SingleAsync();
        (await world.WithPayoutsAsync(p => p.RejectAsync(payout.Id, admin, "Bank details <b>missing</b>"))).Refusal.Should().BeNull();

        var html = await me.Browser.PageAsync("/Webmaster/Balance");

        html.Should().MatchRegex($"(?s)data-payout=\"{payout.Id}\" data-state=\"Rejected\">.*?Rejected.*?Reason: Bank details &lt;b&gt;missing&lt;/b&gt;");
        html.Should().NotContain("<b>missing</b>");
        ReportTesting.Balance(html, "available").Should().Be("¥450.00");
        ReportTesting.Balance(html, "payout-requested").Should().Be("¥0.00");
        BrowserSession.Forms(html).Should().Contain(f => f.Fields.ContainsKey("Input.Amount"), "the webmaster may ask again");
    }

    [Fact]
    public async Task Another_webmasters_payouts_and_statement_never_show()
    {
        var (rich, _) = await WithAvailableMoneyAsync();
        using var _ = rich;
        (await RequestPayoutAsync(rich.Browser, "300")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        using var me = await app.NewSignedInWebmasterAsync();

        var html = await me.Browser.PageAsync("/Webmaster/Balance");

        html.Should().NotContain("data-payout=").And.NotContain("statement-line").And.NotContain("¥300.00");
        ReportTesting.Balance(html, "available").Should().Be("¥0.00");
        html.Should().Contain("You have not asked for a payout yet.");
    }

    private static List<(string Kind, string Account, string Amount)> StatementLines(string html) =>
        [.. Regex.Matches(html, "<tr class=\"statement-line\" data-kind=\"([^\"]+)\" data-account=\"([^\"]+)\">.*?<td class=\"text-end[^\"]*\">([^<]+)</td>",
                RegexOptions.Singleline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, WebUtility.HtmlDecode(m.Groups[3].Value).Trim()))];
}
