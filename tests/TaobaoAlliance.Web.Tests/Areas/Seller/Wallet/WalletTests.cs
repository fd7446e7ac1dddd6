using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Wallet;
using TaobaoAlliance.Application.Wallet;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Balance;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;
using static TaobaoAlliance.Web.Tests.Areas.Seller.Wallet.SellerMoneyTesting;
using TaobaoAlliance.Web.Tests.Areas.Seller.ApiSecrets;
using TaobaoAlliance.Web.Tests.Areas.Seller.Reports;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Wallet;

/// <summary>The seller's wallet over real HTTP: deposits through the gateway, failures that credit nothing, and the statement.</summary>
public sealed partial class WalletTests(SellerMoneyApp app) : IClassFixture<SellerMoneyApp>
{
    private static Task<HttpResponseMessage> DepositAsync(BrowserSession browser, string amount) =>
        browser.SubmitAsync("/Seller/Wallet", "/Seller/Wallet", new Dictionary<string, string> { ["Input.Amount"] = amount });

    private async Task<WalletDeposit?> LatestDepositAsync(long sellerId)
    {
        await using var db = app.NewDb();
        return await db.WalletDeposits.Where(d => d.SellerId == sellerId).OrderByDescending(d => d.Id).FirstOrDefaultAsync();
    }

    private async Task<int> DepositRowsAsync(long sellerId)
    {
        await using var db = app.NewDb();
        return await db.WalletDeposits.CountAsync(d => d.SellerId == sellerId);
    }

    [Fact]
    public async Task A_deposit_through_the_development_gateway_credits_the_wallet_exactly_once()
    {
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Development;
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        var (sellerId, userId) = await app.SellerAsync(Seller1);
        var before = await app.WalletAsync(sellerId);

        using var response = await DepositAsync(browser, "250.50");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await app.WalletAsync(sellerId)).Should().Be(before + new Money(25_050));
        var deposit = (await LatestDepositAsync(sellerId))!;
        deposit.State.Should().Be(DepositState.Succeeded);
        deposit.AmountFen.Should().Be(25_050);
        deposit.GatewayReference.Should().StartWith($"dev_{deposit.Id}_");
        await using var db = app.NewDb();
        var entries = await db.JournalEntries.Where(e => e.IdempotencyKey == WalletDeposits.IdempotencyKey(deposit.Id)).ToListAsync();
        entries.Should().ContainSingle().Which.Kind.Should().Be("wallet.deposit");
        entries[0].ActorUserId.Should().Be(userId);
        var audit = await db.AuditLog.Where(a => a.Action == "wallet.deposit" && a.EntityId == deposit.Id.ToString()).ToListAsync();
        audit.Should().ContainSingle().Which.ActorUserId.Should().Be(userId);

        var page = await browser.PageAsync("/Seller/Wallet");
        page.Should().Contain("¥250.50 was added to your wallet.");
        ReportTesting.Balance(page, "wallet").Should().Be((before + new Money(25_050)).ToString());
    }

    [Fact]
    public async Task A_refused_payment_shows_a_form_error_marks_the_deposit_failed_and_credits_nothing()
    {
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Refuse;
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        var (sellerId, _) = await app.SellerAsync(Seller1);
        var before = await app.WalletAsync(sellerId);
        var entriesBefore = await app.DepositEntriesAsync(sellerId);

        using var response = await DepositAsync(browser, "100");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("declined");
        var deposit = (await LatestDepositAsync(sellerId))!;
        deposit.State.Should().Be(DepositState.Failed);
        deposit.FailureReason.Should().Contain("card declined by the issuing bank");
        deposit.CompletedAt.Should().NotBeNull();
        (await app.WalletAsync(sellerId)).Should().Be(before);
        (await app.DepositEntriesAsync(sellerId)).Should().Be(entriesBefore);
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Development;
    }

    [Theory]
    [InlineData(SteeredPaymentGateway.Behaviour.NeverAnswer, "did not answer in time")]
    [InlineData(SteeredPaymentGateway.Behaviour.AnswerAfterTheDeadline, "did not answer in time")]
    [InlineData(SteeredPaymentGateway.Behaviour.Throw, "could not be reached")]
    public async Task A_gateway_that_does_not_answer_in_time_or_fails_credits_nothing(SteeredPaymentGateway.Behaviour behaviour, string message)
    {
        app.Gateway.Mode = behaviour;
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        var (sellerId, _) = await app.SellerAsync(Seller1);
        var before = await app.WalletAsync(sellerId);
        var entriesBefore = await app.DepositEntriesAsync(sellerId);

        using var response = await DepositAsync(browser, "88.80");
        if (app.Gateway.LateAnswer is { } late && behaviour == SteeredPaymentGateway.Behaviour.AnswerAfterTheDeadline)
        {
            // Let the late approval arrive: nobody is listening any more.
            app.Clock.Advance(TimeSpan.FromSeconds(30));
            await late;
        }

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain(message).And.Contain("Nothing was added to your wallet");
        var deposit = (await LatestDepositAsync(sellerId))!;
        deposit.AmountFen.Should().Be(8_880);
        deposit.State.Should().Be(DepositState.Failed);
        deposit.GatewayReference.Should().BeNull();
        (await app.WalletAsync(sellerId)).Should().Be(before);
        (await app.DepositEntriesAsync(sellerId)).Should().Be(entriesBefore);
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Development;
    }

    [Theory]
    [InlineData("0", "Deposit between ¥1.00 and ¥1,000,000.00.")]
    [InlineData("0.99", "Deposit between ¥1.00 and ¥1,000,000.00.")]
    [InlineData("1000000.01", "Deposit between ¥1.00 and ¥1,000,000.00.")]
    [InlineData("-1", "as a number")]
    [InlineData("abc", "as a number")]
    [InlineData("1e3", "as a number")]
    [InlineData("10.005", "at most two decimals")]
    [InlineData("", "Enter the amount to deposit.")]
    public async Task A_bad_amount_is_a_form_error_and_writes_nothing(string amount, string message)
    {
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Development;
        using var browser = await app.SignedInAsync(Seller2, Seller2Password);
        var (sellerId, _) = await app.SellerAsync(Seller2);
        var before = await app.WalletAsync(sellerId);
        var rowsBefore = await DepositRowsAsync(sellerId);
        var calls = app.Gateway.Calls;

        using var response = await DepositAsync(browser, amount);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await DepositRowsAsync(sellerId)).Should().Be(rowsBefore);
        (await app.WalletAsync(sellerId)).Should().Be(before);
        app.Gateway.Calls.Should().Be(calls, "the gateway is never asked about an amount the form refused");
    }

    [Fact]
    public async Task The_wallet_only_grows_by_credited_deposits_and_never_goes_below_zero()
    {
        using var browser = new BrowserSession(app);
        var email = $"seller-{Guid.NewGuid():N}@example.test";
        await browser.SignUpAsync(email, "Seller!pass1", accountType: "Seller");
        var (sellerId, _) = await app.SellerAsync(email);
        (await app.WalletAsync(sellerId)).Should().Be(Money.Zero);

        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Refuse;
        (await DepositAsync(browser, "500")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await DepositAsync(browser, "-5")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.WalletAsync(sellerId)).Should().Be(Money.Zero, "a failed or refused deposit neither adds nor takes anything");

        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Development;
        (await DepositAsync(browser, "1.00")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await DepositAsync(browser, "2.5")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var balance = await app.WalletAsync(sellerId);
        balance.Should().Be(new Money(350));
        balance.Fen.Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task The_transaction_list_shows_each_deposit_with_the_running_balance_newest_first()
    {
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Development;
        using var browser = new BrowserSession(app);
        var email = $"seller-{Guid.NewGuid():N}@example.test";
        await browser.SignUpAsync(email, "Seller!pass1", accountType: "Seller");
        var (sellerId, _) = await app.SellerAsync(email);
        (await browser.PageAsync("/Seller/Wallet")).Should().Contain("id=\"statement-empty\"");

        (await DepositAsync(browser, "100")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        (await DepositAsync(browser, "23.45")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Refuse;
        (await DepositAsync(browser, "7")).StatusCode.Should().Be(HttpStatusCode.OK);
        app.Gateway.Mode = SteeredPaymentGateway.Behaviour.Development;

        var html = await browser.PageAsync("/Seller/Wallet");
        var lines = StatementLines(html);
        lines.Should().Equal(
            ("Deposit", "+¥23.45", "¥123.45"),
            ("Deposit", "+¥100.00", "¥100.00"));
        ReportTesting.Balance(html, "wallet").Should().Be("¥123.45");
        // The failed attempt is listed among the deposits, not among the transactions.
        var deposits = Regex.Matches(html, "data-state=\"(\\w+)\"").Select(m => m.Groups[1].Value).ToList();
        deposits.Should().Equal("Failed", "Succeeded", "Succeeded");

        using var other = await app.SignedInAsync(Seller2, Seller2Password);
        var otherHtml = await other.PageAsync("/Seller/Wallet");
        var latest = (await LatestDepositAsync(sellerId))!;
        otherHtml.Should().NotContain($"data-deposit=\"{latest.Id}\"", "another seller never sees these deposits");
    }

    private static List<(string Kind, string Amount, string Balance)> StatementLines(string html) =>
        [.. WalletLinePattern().Matches(html).Select(m =>
        {
            var cells = Regex.Matches(m.Value, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline)
                .Select(c => WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<[^>]+>", "")).Trim()).ToList();
            return (cells[1], cells[3], cells[4]);
        })];

    [GeneratedRegex("<tr class=\"wallet-line\".*?</tr>", RegexOptions.Singleline)]
    private static partial Regex WalletLinePattern();
}
