namespace TaobaoAlliance.Data.Catalog;

/// <summary>
/// Tells every node when what the storefront shows changes. The migration StorefrontNotifications installs
/// statement triggers on items, shops and categories (any column: titles, prices, sales and images are shown):
/// on commit they send <c>NOTIFY storefront</c>, whoever made the change — a page, the API, the seeder or plain SQL.
/// A channel of its own, so a new title or monthly sales figure does not also drop the click path's memory.
/// </summary>
public static class StorefrontTriggers
{
    public const string Channel = "storefront";
}
