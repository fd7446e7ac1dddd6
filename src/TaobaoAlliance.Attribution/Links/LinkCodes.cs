using System.Security.Cryptography;

namespace TaobaoAlliance.Attribution.Links;

/// <summary>Short codes of ad links: random letters and digits, unguessable.</summary>
public static class LinkCodes
{
    public const int Length = 8;

    /// <summary>62 letters and digits: 62^8 ≈ 2.2 × 10^14 codes, so nobody finds links by guessing.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));
}
