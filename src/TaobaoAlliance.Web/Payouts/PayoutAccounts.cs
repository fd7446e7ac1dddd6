using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using TaobaoAlliance.Data.Payouts;

namespace TaobaoAlliance.Web.Payouts;

/// <summary>
/// A payout account (Alipay login or bank card number): checked, masked for display, and encrypted at rest with
/// ASP.NET Core Data Protection (keys in PostgreSQL, shared by every node), so a copy of the database alone does not
/// give away where the money goes. Only finance's export reads it back (<see cref="Reveal"/>).
/// </summary>
public static partial class PayoutAccounts
{
    private const string Purpose = "TaobaoAlliance.Payouts.PayoutMethod.Account.v1";

    public static IDataProtector Protector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.CreateProtector(Purpose);
    }

    /// <summary>The account as it is kept: digits only for a card, trimmed and lower-case for an Alipay email, or null when it is not one.</summary>
    public static string? Normalize(PayoutMethodKind kind, string? account)
    {
        var text = (account ?? "").Trim();
        return kind switch
        {
            PayoutMethodKind.BankCard when CardPattern().IsMatch(text) && Digits(text) is { Length: >= 12 and <= 19 } digits => digits,
            PayoutMethodKind.Alipay when MobilePattern().IsMatch(text) => text,
            PayoutMethodKind.Alipay when text.Length <= 100 && EmailPattern().IsMatch(text) => text.ToLowerInvariant(),
            _ => null,
        };
    }

    /// <summary>What pages show: the last four digits of a card, 138****5678 of a mobile, a***@example.com of an email.</summary>
    public static string Mask(PayoutMethodKind kind, string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (kind == PayoutMethodKind.BankCard) return "**** " + account[^4..];
        var at = account.IndexOf('@', StringComparison.Ordinal);
        if (at < 0) return account[..3] + "****" + account[^4..];
        return account[..1] + "***" + account[at..];
    }

    public static string Protect(IDataProtector protector, string account)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return protector.Protect(account);
    }

    public static string Reveal(IDataProtector protector, PayoutMethod method)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(method);
        return protector.Unprotect(method.ProtectedAccount);
    }

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    [GeneratedRegex("^[0-9][0-9 ]*[0-9]$")]
    private static partial Regex CardPattern();

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")]
    private static partial Regex EmailPattern();
}
