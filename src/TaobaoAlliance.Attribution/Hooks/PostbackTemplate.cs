using System.Globalization;
using System.Net;
using System.Text;

namespace TaobaoAlliance.Attribution.Hooks;

/// <summary>What a postback's macros are filled with for one commission. Sub-ids are null until the click carries them.</summary>
public sealed record PostbackValues(
    Guid ClickId, string? Sub1, string? Sub2, string? Sub3, string? Sub4, string? Sub5, long OrderId, long CommissionFen, string State);

/// <summary>What is wrong with a postback URL template or a webhook URL.</summary>
public enum HookUrlProblem
{
    /// <summary>Empty.</summary>
    Missing,
    /// <summary>Longer than <see cref="PostbackTemplate.MaxLength"/>.</summary>
    TooLong,
    /// <summary>Not an absolute http(s) address with a host (after the macros are filled in).</summary>
    NotHttp,
    /// <summary>A user name or password in the address (it would end up in logs and pages).</summary>
    HasUserInfo,
    /// <summary>A brace that opens no known macro, e.g. <c>{clickid}</c> or a lone <c>{</c>.</summary>
    UnknownMacro,
    /// <summary>A macro in the host: the host must be fixed, so the address can be checked before anything is sent.</summary>
    MacroInHost,
    /// <summary>The host is loopback, private or otherwise internal (the site verification's rules).</summary>
    InternalAddress,
}

/// <summary>
/// A webmaster's postback URL template, e.g. <c>https://tracker.example/pb?cid={click_id}&amp;s1={sub1}&amp;amount={commission_fen}</c>.
/// Macros are filled in URL-encoded (RFC 3986 unreserved characters stay, everything else is percent-encoded),
/// so a value can never add a parameter or change the path. Webhook URLs are checked by the same rules without macros.
/// </summary>
public static class PostbackTemplate
{
    public const int MaxLength = 2000;

    /// <summary>The macros, in the order the page lists them.</summary>
    public static readonly IReadOnlyList<string> Macros =
        ["click_id", "sub1", "sub2", "sub3", "sub4", "sub5", "order_id", "commission_fen", "state"];

    /// <summary>
    /// The template trimmed, or what is wrong with it. <paramref name="allowMacros"/> false for a webhook URL.
    /// <paramref name="allowInternal"/> mirrors the site verification's <c>AllowPrivateAddresses</c> (development, tests);
    /// a host name is checked again at connect time, after DNS, by the sender.
    /// </summary>
    public static (string? Template, HookUrlProblem? Problem) Check(string? text, bool allowMacros, bool allowInternal, Func<IPAddress, bool> isPublic)
    {
        ArgumentNullException.ThrowIfNull(isPublic);
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0) return (null, HookUrlProblem.Missing);
        if (trimmed.Length > MaxLength) return (null, HookUrlProblem.TooLong);
        string sample;
        if (allowMacros)
        {
            if (Fill(trimmed, _ => "0") is not { } filled) return (null, HookUrlProblem.UnknownMacro);
            sample = filled;
        }
        else
        {
            sample = trimmed;
        }
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return (null, HookUrlProblem.NotHttp);
        }
        if (uri.UserInfo.Length > 0) return (null, HookUrlProblem.HasUserInfo);
        if (allowMacros)
        {
            // Filled with another sample, the host must not move: a macro in the host would let a value pick the server.
            var other = Fill(trimmed, _ => "x");
            if (other is null || !Uri.TryCreate(other, UriKind.Absolute, out var otherUri) || otherUri.Host != uri.Host || otherUri.Port != uri.Port)
            {
                return (null, HookUrlProblem.MacroInHost);
            }
        }
        if (!allowInternal && IsInternalHost(uri, isPublic)) return (null, HookUrlProblem.InternalAddress);
        return (trimmed, null);
    }

    /// <summary>The URL for one message: every macro replaced by its value, URL-encoded; an empty value for a null one.</summary>
    public static string Render(string template, PostbackValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Fill(template, macro => Uri.EscapeDataString(Value(macro, values)))
            ?? throw new ArgumentException("The template was not checked: it names an unknown macro.", nameof(template));
    }

    private static string Value(string macro, PostbackValues v) => macro switch
    {
        "click_id" => v.ClickId.ToString("D"),
        "sub1" => v.Sub1 ?? "",
        "sub2" => v.Sub2 ?? "",
        "sub3" => v.Sub3 ?? "",
        "sub4" => v.Sub4 ?? "",
        "sub5" => v.Sub5 ?? "",
        "order_id" => v.OrderId.ToString(CultureInfo.InvariantCulture),
        "commission_fen" => v.CommissionFen.ToString(CultureInfo.InvariantCulture),
        "state" => v.State,
        _ => throw new ArgumentOutOfRangeException(nameof(macro), macro, "Unknown macro"),
    };

    /// <summary>The template with each <c>{macro}</c> replaced; null when a brace opens no known macro or a <c>}</c> stands alone.</summary>
    private static string? Fill(string template, Func<string, string> value)
    {
        var result = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '}') return null;
            if (c != '{')
            {
                result.Append(c);
                i++;
                continue;
            }
            var close = template.IndexOf('}', i + 1);
            if (close < 0) return null;
            var name = template[(i + 1)..close];
            if (!Macros.Contains(name)) return null;
            result.Append(value(name));
            i = close + 1;
        }
        return result.ToString();
    }

    private static bool IsInternalHost(Uri uri, Func<IPAddress, bool> isPublic)
    {
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var literal = host.Trim('[', ']');
        return IPAddress.TryParse(literal, out var address) && !isPublic(address);
    }
}
