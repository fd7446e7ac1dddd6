using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Payouts;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>Payout requests decided on the admin page, through the payout service and its ledger entries.</summary>
public sealed class PayoutAdminTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    /// <summary>A webmaster with ¥180 settled (a ¥2,000 order at 10 %, less the 10 % fee) who asked for ¥150 of it.</summary>
    private async Task<(TestWebmaster Webmaster, long PayoutId)> OpenPayoutAsync()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 1_000);
        var orderId = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now, visitor, Line(item.Id, 1, 200_000)));
        await world.ProcessAsync(Confirmed(item.ShopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();
        var outcome = await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(15_000)));
        outcome.Refusal.Should().BeNull();
        return (webmaster, outcome.Request!.Id);
    }

    private async Task<PayoutRequest> PayoutAsync(long id)
    {
        await using var db = app.NewDb();
        return await db.PayoutRequests.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    private static string Row(string html, long payoutId)
    {
        var start = html.IndexOf($"data-payout=\"{payoutId}\"", StringComparison.Ordinal);
        start.Should().BePositive($"payout {payoutId} is listed");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task Open_requests_are_listed_first_with_the_webmasters_available_balance()
    {
        var (_, payoutId) = await OpenPayoutAsync();
        using var admin = await AdminAsync(app);

        var html = await admin.PageAsync("/Admin/Payouts");

        var row = Row(html, payoutId);
        row.Should().Contain("¥150.00").And.Contain("¥30.00", "¥180 settled less the ¥150 asked for").And.Contain("handler=Approve");
        html.IndexOf("payouts-open", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf($"data-payout=\"{payoutId}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approving_on_the_page_pays_the_money_out_with_an_audit_row()
    {
        var (webmaster, payoutId) = await OpenPayoutAsync();
        using var admin = await AdminAsync(app);

        using var response = await admin.SubmitAsync("/Admin/Payouts", Form("Approve", "payoutId", payoutId));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var payout = await PayoutAsync(payoutId);
        (payout.State, payout.DecidedByUserId).Should().Be((PayoutState.Approved, await AdminUserIdAsync(app)));
        (await world.BalanceAsync(AccountRef.PaidOut(webmaster.Id))).Fen.Should().Be(15_000);
        (await world.BalanceAsync(AccountRef.PayoutRequested(webmaster.Id))).Fen.Should().Be(0);
        (await AuditAsync(app, "payout_request", payoutId)).Should().ContainSingle(a => a.Action == "payout.approve");
        Row(await admin.PageAsync("/Admin/Payouts"), payoutId).Should().Contain("handler=Paid", "it waits for finance's transfer").And.NotContain("handler=Approve");
    }

    [Fact]
    public async Task An_approved_payout_is_exported_for_finance_with_the_full_account_and_then_marked_paid_with_its_reference()
    {
        var (webmaster, payoutId) = await OpenPayoutAsync();
        using var admin = await AdminAsync(app);
        (await admin.SubmitAsync("/Admin/Payouts", Form("Approve", "payoutId", payoutId))).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var export = await admin.GetAsync("/Admin/Payouts?handler=Export");
        export.StatusCode.Should().Be(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var csv = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        csv[0].Should().Be("payout_id,webmaster_id,webmaster,email,amount_yuan,approved_at,method,holder_name,bank,account");
        var line = csv.Single(l => l.StartsWith(payoutId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",", StringComparison.Ordinal));
        line.Should().Contain(",150.00,").And.Contain(",Alipay,").And.MatchRegex(",[0-9a-f]{10}@alipay\\.test$", "finance gets the full account, not the masked one");
        var adminId = await AdminUserIdAsync(app);
        (await AuditAsync(app, "payout_batch", adminId)).Should().Contain(a => a.Action == "payout.export" && a.Details!.Contains(payoutId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        using var noReference = await admin.SubmitAsync("/Admin/Payouts", Form("Paid", "payoutId", payoutId), new Dictionary<string, string> { ["reference"] = " " });
        FormErrors(await noReference.Content.ReadAsStringAsync()).Should().Be("Give the transfer's reference (at most 100 characters).");
        (await PayoutAsync(payoutId)).State.Should().Be(PayoutState.Approved);

        using var paid = await admin.SubmitAsync("/Admin/Payouts", Form("Paid", "payoutId", payoutId), new Dictionary<string, string> { ["reference"] = "ALIPAY-20261201-0001" });

        paid.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var payout = await PayoutAsync(payoutId);
        (payout.State, payout.PaidReference, payout.PaidByUserId).Should().Be((PayoutState.Paid, "ALIPAY-20261201-0001", adminId));
        (await AuditAsync(app, "payout_request", payoutId)).Should().Contain(a => a.Action == "payout.paid");
        (await world.BalanceAsync(AccountRef.PaidOut(webmaster.Id))).Fen.Should().Be(15_000, "approval already paid it out in the ledger");
        (await world.LedgerSumAsync()).Should().Be(0);
        Row(await admin.PageAsync("/Admin/Payouts"), payoutId).Should().Contain("Paid out").And.Contain("ALIPAY-20261201-0001").And.NotContain("handler=Paid");
        using var again = await admin.GetAsync("/Admin/Payouts?handler=Export");
        (await again.Content.ReadAsStringAsync()).Should().NotContain("\n" + payoutId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",", "a paid request is in no later batch");
    }

    [Fact]
    public async Task A_payout_cannot_be_requested_without_a_payout_method_whoever_asks()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync(payoutMethod: false);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 1_000);
        var orderId = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now, visitor, Line(item.Id, 1, 200_000)));
        await world.ProcessAsync(Confirmed(item.ShopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();

        var outcome = await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(15_000)));

        outcome.Refusal.Should().Be(PayoutRefusal.NoPayoutMethod);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(18_000);
        await using var db = app.NewDb();
        (await db.PayoutRequests.AnyAsync(p => p.WebmasterId == webmaster.Id)).Should().BeFalse();
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_then_returns_the_money_to_available()
    {
        var (webmaster, payoutId) = await OpenPayoutAsync();
        using var admin = await AdminAsync(app);

        using var noReason = await admin.SubmitAsync("/Admin/Payouts", Form("Reject", "payoutId", payoutId), new Dictionary<string, string> { ["reason"] = "" });
        FormErrors(await noReason.Content.ReadAsStringAsync()).Should().Be("Give the webmaster a reason for the rejection.");
        (await PayoutAsync(payoutId)).State.Should().Be(PayoutState.Requested);

        using var reject = await admin.SubmitAsync("/Admin/Payouts", Form("Reject", "payoutId", payoutId),
            new Dictionary<string, string> { ["reason"] = "Bank account name does not match <b>ID</b>" });

        reject.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var payout = await PayoutAsync(payoutId);
        (payout.State, payout.Reason).Should().Be((PayoutState.Rejected, "Bank account name does not match <b>ID</b>"));
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(18_000);
        (await AuditAsync(app, "payout_request", payoutId)).Should().ContainSingle(a => a.Action == "payout.reject");
        Row(await admin.PageAsync("/Admin/Payouts"), payoutId).Should().Contain("does not match &lt;b&gt;ID&lt;/b&gt;");
    }

    [Fact]
    public async Task Deciding_a_request_twice_shows_the_services_message_and_changes_nothing()
    {
        var (webmaster, payoutId) = await OpenPayoutAsync();
        using var admin = await AdminAsync(app);
        (await admin.SubmitAsync("/Admin/Payouts", Form("Approve", "payoutId", payoutId))).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var again = await admin.PostAsync("/Admin/Payouts?handler=Reject",
            new Dictionary<string, string> { ["payoutId"] = payoutId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "Changed my mind" },
            "/Admin/Payouts");

        FormErrors(await again.Content.ReadAsStringAsync()).Should().Be("This request is already approved.");
        (await PayoutAsync(payoutId)).State.Should().Be(PayoutState.Approved);
        (await world.BalanceAsync(AccountRef.PaidOut(webmaster.Id))).Fen.Should().Be(15_000);
        (await world.LedgerSumAsync()).Should().Be(0);
    }
}
