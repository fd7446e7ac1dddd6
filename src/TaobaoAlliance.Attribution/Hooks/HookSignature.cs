using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TaobaoAlliance.Attribution.Hooks;

/// <summary>
/// How postbacks and webhooks are signed, the scheme the Orders API takes from stores turned around:
/// <c>X-Alliance-Signature: t=&lt;unix seconds&gt;,sha256=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>,
/// keyed with the site's (postback) or shop's (webhook) secret. The receiver checks the time too, so a captured
/// message cannot be replayed later.
/// </summary>
public static class HookSignature
{
    public const string Header = "X-Alliance-Signature";

    public static string Sign(byte[] body, string secret, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(secret);
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.ASCII.GetBytes(t + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload, prefix.Length);
        return $"t={t},sha256={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload))}";
    }
}
