namespace TaobaoAlliance.Data.Tracking;

/// <summary>
/// Tells every node when what a click is decided from changes. The migration ClickTargetNotifications
/// installs statement triggers on links, ad_zones, sites, items, shops, targeted_plans and
/// targeted_plan_members (only the columns the click path reads): on commit they send
/// <c>NOTIFY click_targets</c>, whoever made the change — a page, the API, the seeder or plain SQL.
/// </summary>
public static class ClickTargetTriggers
{
    public const string Channel = "click_targets";
}
