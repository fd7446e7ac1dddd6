using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Web.Payouts;
using StoredMethod = TaobaoAlliance.Data.Payouts.PayoutMethod;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.PayoutMethod;

/// <summary>The payout method page: two factors and a fresh code to change it, stored encrypted, shown masked, notified by email.</summary>
public sealed class PayoutMethodTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private async Task<StoredMethod?> MethodAsync(long webmasterId)
    {
        await using var db = app.NewDb();
        return await db.PayoutMethods.AsNoTracking().SingleOrDefaultAsync(m => m.WebmasterId == webmasterId);
    }

    [Fact]
    public async Task Setting_a_payout_method_needs_two_factor_sign_in_first()
    {
        using var me = await app.NewWebmasterAsync();

        var html = await me.Browser.PageAsync("/Webmaster/PayoutMethod");
        html.Should().Contain("id=\"twofactor-needed\"").And.Contain("/Account/TwoFactor");
        using var forced = await me.Browser.PostAsync("/Webmaster/PayoutMethod", new Dictionary<string, string>
        {
            ["Input.Kind"] = "Alipay", ["Input.HolderName"] = "Li Ming", ["Input.Account"] = "13800138000", ["Input.Code"] = "123456",
        }, "/Webmaster/PayoutMethod");

        PageText.FormErrors(await forced.Content.ReadAsStringAsync()).Should().Be("Turn on two-factor sign-in before you set a payout method.");
        (await MethodAsync(me.WebmasterId)).Should().BeNull();
        (await me.Browser.PageAsync("/Webmaster/Balance")).Should().Contain("Add a payout method before your first request.");
    }

    [Fact]
    public async Task Changing_the_payout_method_needs_a_fresh_code_and_a_wrong_one_changes_nothing()
    {
        using var me = await app.NewWebmasterAsync();
        await me.SetPayoutMethodAsync("13800138000", "Alipay", "Li Ming");
        var key = me.Browser.AuthenticatorKey!;
        var wrong = Totp.Code(key) == "000000" ? "111111" : "000000";

        using var refused = await me.SubmitPayoutMethodAsync("6222 0212 3456 7890 123", "BankCard", "Attacker", "ICBC", code: wrong);

        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await refused.Content.ReadAsStringAsync()).Should().Contain("That code is not right.");
        (await MethodAsync(me.WebmasterId))!.MaskedAccount.Should().Be("138****8000");

        await me.SetPayoutMethodAsync("6222 0212 3456 7890 123", "BankCard", "Li Ming", "ICBC");

        var method = (await MethodAsync(me.WebmasterId))!;
        (method.Kind, method.MaskedAccount, method.BankName).Should().Be((PayoutMethodKind.BankCard, "**** 0123", "ICBC"));
        (await me.Browser.PageAsync("/Webmaster/Balance")).Should().Contain("**** 0123").And.NotContain("6222021234567890123");
        await using var db = app.NewDb();
        var notices = await db.OutboxEmails.Where(e => e.To == me.Browser.Email && e.Subject.Contains("payout method")).Select(e => e.HtmlBody).ToListAsync();
        notices.Should().HaveCount(2).And.Contain(b => b.Contains("**** 0123")).And.NotContain(b => b.Contains("6222021234567890123"));
        (await db.AuditLog.CountAsync(a => a.Action == "payout_method.change" && a.EntityId == me.WebmasterId.ToString())).Should().Be(1);
    }

    [Fact]
    public async Task The_stored_account_is_not_plaintext_in_the_database()
    {
        using var me = await app.NewWebmasterAsync();
        await me.SetPayoutMethodAsync("6222 0212 3456 7890 123", "BankCard", "Li Ming", "ICBC");

        await using var db = app.NewDb();
        var row = await db.Database.SqlQuery<string>($"SELECT row_to_json(m)::text AS \"Value\" FROM payout_methods m WHERE webmaster_id = {me.WebmasterId}").SingleAsync();

        row.Should().NotContain("6222021234567890123").And.NotContain("34567890").And.Contain("**** 0123");
        var stored = (await MethodAsync(me.WebmasterId))!;
        var protector = PayoutAccounts.Protector(app.Services.GetRequiredService<IDataProtectionProvider>());
        PayoutAccounts.Reveal(protector, stored).Should().Be("6222021234567890123", "finance can still read it back with the shared keys");
    }

    [Fact]
    public async Task A_bad_account_is_a_form_message_and_changes_nothing()
    {
        using var me = await app.NewWebmasterAsync();

        using var response = await me.SubmitPayoutMethodAsync("12345", "BankCard", "Li Ming", "ICBC");

        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("Enter the card number: 12 to 19 digits.");
        (await MethodAsync(me.WebmasterId)).Should().BeNull();
    }
}
