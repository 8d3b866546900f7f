<#
.SYNOPSIS
    Exports the voice configuration of a Lync Server 2013 / Skype for Business
    Server deployment (or, with -Teams, of a Teams Direct Routing tenant) into
    a folder that `voicetwin import` reads.

.DESCRIPTION
    Writes one file per cmdlet into the folder named by -Path, each named after
    its cmdlet, so voicetwin finds it:

      Get-CsTopology.xml        Get-CsTopology -AsXml (sites, pools, gateways, trunks)
      Get-CsTrunk.json          Get-CsTrunk (Lync Server 2013 and later)
      Get-CsService-PstnGateway.json
                                Get-CsService -PstnGateway (Lync Server 2010's trunks)
      Get-CsDialPlan.json, Get-CsVoicePolicy.json, Get-CsPstnUsage.json,
      Get-CsVoiceRoute.json, Get-CsTrunkConfiguration.json, Get-CsLocationPolicy.json,
      Get-CsNetwork*.json       the routing and call admission control settings
      Get-CsUser.csv            Enterprise Voice users: SipAddress, LineURI,
                                RegistrarPool, DialPlan, VoicePolicy, LocationPolicy,
                                EnterpriseVoiceEnabled

    With -Teams (in a session of the MicrosoftTeams module, after
    Connect-MicrosoftTeams) it writes the Teams cmdlets instead:
    Get-CsOnlinePSTNGateway, Get-CsOnlineVoiceRoute, Get-CsOnlinePstnUsage,
    Get-CsOnlineVoiceRoutingPolicy, Get-CsTenantDialPlan,
    Get-CsTeamsTranslationRule and Get-CsOnlineUser.csv.

    JSON is written with `ConvertTo-Json -Depth 10`, so rules nested in a dial
    plan or trunk configuration are written in full, not as a type name. Every
    file is written as UTF-8. A cmdlet that fails (a role not deployed, a cmdlet
    this version does not have) is reported and skipped; the others are still
    written. Nothing in the deployment is changed: only Get- cmdlets run.

    Run it in the Lync Server / Skype for Business Server Management Shell as a
    member of CsViewOnlyAdministrator (or any role that may run the Get-Cs*
    cmdlets).

.PARAMETER Path
    The folder to write. It is created; an existing folder must be empty
    unless -Force is given.

.PARAMETER Teams
    Export a Teams Direct Routing tenant instead of an on-premises deployment.

.PARAMETER NoUsers
    Do not export the user list (it may be large, and it names people).

.PARAMETER Force
    Write into an existing folder that is not empty, replacing files of the
    same names.

.EXAMPLE
    .\Export-VoiceTwinConfig.ps1 -Path C:\Exports\contoso-2026-12-01
    voicetwin import C:\Exports\contoso-2026-12-01 --out contoso.toml

.EXAMPLE
    Connect-MicrosoftTeams
    .\Export-VoiceTwinConfig.ps1 -Path .\tenant -Teams

.NOTES
    The folder's format, and what voicetwin reads from each file:
    docs/import.md and docs/import-topology.md in the voicetwin repository.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [string] $Path,
    [switch] $Teams,
    [switch] $NoUsers,
    [switch] $Force
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

if (Test-Path -LiteralPath $Path) {
    if (-not (Test-Path -LiteralPath $Path -PathType Container)) {
        throw "$Path exists and is not a folder."
    }
    if (-not $Force -and (Get-ChildItem -LiteralPath $Path -Force | Select-Object -First 1)) {
        throw "$Path is not empty; give a new folder, or -Force to write into it."
    }
} else {
    New-Item -ItemType Directory -Path $Path | Out-Null
}
$folder = (Resolve-Path -LiteralPath $Path).ProviderPath
$utf8 = New-Object System.Text.UTF8Encoding($false)
$written = New-Object System.Collections.Generic.List[string]
$skipped = New-Object System.Collections.Generic.List[string]

# Writes text as UTF-8 (without a byte-order mark) whatever the PowerShell version.
function Write-Utf8([string] $Name, [string] $Text) {
    [System.IO.File]::WriteAllText((Join-Path $folder $Name), $Text, $utf8)
    $written.Add($Name)
}

# Runs a Get-Cs* command and writes its objects as JSON to NAME.json. An
# empty result is written as [] so the folder says the cmdlet ran.
function Export-Json([string] $Name, [scriptblock] $Command) {
    try {
        $objects = @(& $Command)
        $json = if ($objects.Count -eq 0) { '[]' } else { ConvertTo-Json -InputObject $objects -Depth 10 }
        Write-Utf8 "$Name.json" $json
    } catch {
        $skipped.Add("${Name}: $($_.Exception.Message)")
        Write-Warning "${Name}: skipped: $($_.Exception.Message)"
    }
}

# Runs a user query and writes the selected columns as CSV (no #TYPE line).
function Export-Users([string] $Name, [scriptblock] $Command, [string[]] $Columns) {
    try {
        $rows = @(& $Command | Select-Object -Property $Columns)
        $csv = ($rows | ConvertTo-Csv -NoTypeInformation) -join "`r`n"
        if ($rows.Count -eq 0) { $csv = ($Columns | ForEach-Object { '"' + $_ + '"' }) -join ',' }
        Write-Utf8 "$Name.csv" ($csv + "`r`n")
    } catch {
        $skipped.Add("${Name}: $($_.Exception.Message)")
        Write-Warning "${Name}: skipped: $($_.Exception.Message)"
    }
}

if ($Teams) {
    Export-Json 'Get-CsOnlinePSTNGateway'        { Get-CsOnlinePSTNGateway }
    Export-Json 'Get-CsOnlinePstnUsage'          { Get-CsOnlinePstnUsage }
    Export-Json 'Get-CsOnlineVoiceRoute'         { Get-CsOnlineVoiceRoute }
    Export-Json 'Get-CsOnlineVoiceRoutingPolicy' { Get-CsOnlineVoiceRoutingPolicy }
    Export-Json 'Get-CsTenantDialPlan'           { Get-CsTenantDialPlan }
    Export-Json 'Get-CsTeamsTranslationRule'     { Get-CsTeamsTranslationRule }
    if (-not $NoUsers) {
        Export-Users 'Get-CsOnlineUser' { Get-CsOnlineUser -ResultSize Unlimited } @(
            'UserPrincipalName', 'SipAddress', 'LineUri', 'EnterpriseVoiceEnabled',
            'TenantDialPlan', 'OnlineVoiceRoutingPolicy', 'UsageLocation')
    }
} else {
    try {
        Write-Utf8 'Get-CsTopology.xml' ([string] (Get-CsTopology -AsXml))
    } catch {
        $skipped.Add("Get-CsTopology: $($_.Exception.Message)")
        Write-Warning "Get-CsTopology: skipped: $($_.Exception.Message)"
    }
    # Lync Server 2013 and later list trunks; Lync Server 2010 has one per gateway.
    if (Get-Command Get-CsTrunk -ErrorAction SilentlyContinue) {
        Export-Json 'Get-CsTrunk' { Get-CsTrunk }
    }
    Export-Json 'Get-CsService-PstnGateway'       { Get-CsService -PstnGateway }
    Export-Json 'Get-CsPstnUsage'                 { Get-CsPstnUsage }
    Export-Json 'Get-CsDialPlan'                  { Get-CsDialPlan }
    Export-Json 'Get-CsVoicePolicy'               { Get-CsVoicePolicy }
    Export-Json 'Get-CsVoiceRoute'                { Get-CsVoiceRoute }
    Export-Json 'Get-CsTrunkConfiguration'        { Get-CsTrunkConfiguration }
    Export-Json 'Get-CsLocationPolicy'            { Get-CsLocationPolicy }
    Export-Json 'Get-CsNetworkConfiguration'      { Get-CsNetworkConfiguration }
    Export-Json 'Get-CsNetworkRegion'             { Get-CsNetworkRegion }
    Export-Json 'Get-CsNetworkSite'               { Get-CsNetworkSite }
    Export-Json 'Get-CsNetworkSubnet'             { Get-CsNetworkSubnet }
    Export-Json 'Get-CsNetworkRegionLink'         { Get-CsNetworkRegionLink }
    Export-Json 'Get-CsNetworkInterRegionRoute'   { Get-CsNetworkInterRegionRoute }
    Export-Json 'Get-CsNetworkInterSitePolicy'    { Get-CsNetworkInterSitePolicy }
    Export-Json 'Get-CsNetworkBandwidthPolicyProfile' { Get-CsNetworkBandwidthPolicyProfile }
    if (-not $NoUsers) {
        Export-Users 'Get-CsUser' { Get-CsUser -ResultSize Unlimited } @(
            'SipAddress', 'LineURI', 'RegistrarPool', 'DialPlan', 'VoicePolicy',
            'LocationPolicy', 'EnterpriseVoiceEnabled')
    }
}

Write-Host "$($written.Count) file(s) written to ${folder}:"
$written | ForEach-Object { Write-Host "  $_" }
if ($skipped.Count -gt 0) {
    Write-Host "$($skipped.Count) cmdlet(s) skipped:"
    $skipped | ForEach-Object { Write-Host "  $_" }
}
Write-Host "Next: voicetwin import `"$folder`" --out model.toml"
