using System.Security.Cryptography;
using System.Text;

namespace TaobaoAlliance.Web.Api;

/// <summary>Webmaster API keys: only their SHA-256 is stored, so a leaked database leaks no keys.</summary>
public static class ApiKeys
{
    public static string Hash(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
}
