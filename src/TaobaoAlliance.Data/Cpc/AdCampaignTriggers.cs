namespace TaobaoAlliance.Data.Cpc;

/// <summary>
/// Tells every node when what the auction is decided from changes. The migration AdCampaignNotifications installs
/// statement triggers on campaigns (not their impression and click counters), campaign_items, campaign_categories,
/// items and shops (only the columns an ad shows): on commit they send <c>NOTIFY ad_campaigns</c>, whoever made the
/// change. It also widens the click targets' triggers to a zone's smart switch and its site's category.
/// </summary>
public static class AdCampaignTriggers
{
    public const string Channel = "ad_campaigns";
}
